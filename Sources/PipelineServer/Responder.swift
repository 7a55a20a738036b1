import HTTP1

/// The right to answer one request later, for work that finishes after the request was read (a
/// write answered once its commit is durable). The connection keeps pipelined responses in request
/// order whatever order they are answered in; an answer for a connection that has closed is dropped.
///
/// Thread: loop thread only, like the connection it answers on.
struct Responder {
    weak var connection: HTTPConnection?
    let id: HTTPConnection.Machine.RequestID
    let head: RequestHead

    /// Releases the answer; only the first call for a request counts.
    func send(_ reply: Reply) {
        connection?.respond(to: id, for: head, with: reply)
    }
}

extension Server {
    /// Answers a complete request: with its route's reply now, or nil and later through
    /// `responder` — when `interceptor` takes it, or when the reply may show state that is not
    /// durable yet. This is the one place a reply waits for a commit: it is held until every
    /// change applied so far has settled (then sent as it is), or failed (then a 503 is sent
    /// instead: what it showed was rolled back). With nothing pending — always, in memory — the
    /// reply goes at once and the responder is never built.
    func serve(_ request: RequestContext, responder: @autoclosure () -> Responder) -> Reply? {
        if let interceptor { return interceptor(request, responder()) }
        let reply = dispatch(request)
        let durability = services.durability
        guard durability.hasPending else { return reply }
        let responder = responder()
        durability.whenSettled { outcome in
            switch outcome {
            case .success: responder.send(reply)
            case .failure(let failure): responder.send(.response(Problem.notDurable(failure)))
            }
        }
        return nil
    }
}
