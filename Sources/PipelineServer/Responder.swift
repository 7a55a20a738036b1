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
    /// Answers a complete request: with its route's reply now, or, when `interceptor` takes it,
    /// nil and later through `responder`. Built only when an interceptor asks for it, so the
    /// synchronous path costs no weak reference.
    func serve(_ request: RequestContext, responder: @autoclosure () -> Responder) -> Reply? {
        if let interceptor { return interceptor(request, responder()) }
        return dispatch(request)
    }
}
