import HTTP1
import UVLoop

/// One client's HTTP/1.1 session, as thin glue: feeds received bytes to the parser, turns what it
/// finds into events for `ConnectionStateMachine` (which holds every policy: phases, deadlines,
/// keep-alive, response order, close), dispatches complete requests, and performs the actions
/// the machine hands out (`HTTPConnection+Writing`).
///
/// Ownership: owned by its transport (a `Connection` holds its delegate strongly) and listed by
/// the server until the transport closes; holds the transport unowned. Thread: loop thread only.
final class HTTPConnection {
    typealias Machine = ConnectionStateMachine<Outgoing>

    /// What the connection writes for one request: the reply to a request, or the answer to one
    /// that could not be framed (no access-log line, and the connection closes after it).
    enum Outgoing {
        case reply(Reply, for: RequestHead)
        case failure(Response, method: String)
    }

    unowned let server: Server
    unowned let transport: any Transport
    /// Every call is one short mutation that calls out to nothing (actions are performed between
    /// `nextAction()` calls), so a transport callback can reach it while an action is performed.
    var machine: Machine
    private var parser: RequestParser
    private var head: RequestHead?
    private var requestID: Machine.RequestID = 0
    private var body: [UInt8] = []
    var eventStream: EventStreamSink?
    /// True while `received` runs: an answer released meanwhile needs no resume of input, since
    /// the parse loop goes on by itself.
    private var isParsing = false
    /// Input was stopped because `maxInFlight` requests wait for their answers.
    private var inputPaused = false

    init(server: Server, transport: any Transport) {
        self.server = server
        self.transport = transport
        parser = RequestParser(limits: server.configuration.limits)
        machine = Machine(timeouts: server.configuration.connectionTimeouts, now: server.clock.now)
    }

    /// The earliest time the server's sweep must call `timedOut`.
    var deadline: UInt64 { machine.deadline }

    /// Parses as many requests as the machine accepts; returns how many bytes it used (the
    /// transport keeps the rest and offers it again).
    func received(_ bytes: Span<UInt8>) -> Int {
        switch machine.phase {
        case .streaming, .closing, .closed: return bytes.count  // nothing more is served: discard
        case .idle, .readingHead, .readingBody: break
        }
        let now = server.clock.now
        machine.headStarted(now: now)
        isParsing = true
        defer { isParsing = false }
        var offset = 0
        while transport.acceptsInput, machine.acceptsRequests {
            let rest = bytes.extracting(offset...)
            let (event, consumed) = parser.parse(rest)
            offset += consumed
            switch event {
            case .needMoreBytes:
                // A partial head behind a pipelined request gets the head timeout, not the idle one.
                if offset < bytes.count { machine.headStarted(now: now) }
                return offset
            case .head(let head):
                begin(head, now: now)
            case .body(let range):
                append(rest.extracting(range), now: now)
            case .messageEnd:
                finishRequest(now: now)
            case .failure(let error):
                fail(with: Problem.response(for: error))
                return bytes.count
            }
        }
        switch machine.phase {
        case .streaming, .closing, .closed:
            return bytes.count
        case .idle, .readingHead, .readingBody:
            // Back-pressure (the transport pauses itself) or the in-flight bound (paused here).
            if !machine.acceptsRequests { pauseInput() }
            return offset
        }
    }

    /// The peer finished sending: a request cut off mid-way is a framing error; otherwise the
    /// pending answers leave and the connection closes.
    func peerEnded() {
        if machine.phase == .readingHead || machine.phase == .readingBody, let error = parser.finish() {
            return fail(with: Problem.response(for: error))
        }
        machine.peerEnded()
        performActions()
    }

    /// The transport closed; nothing is written any more.
    func transportClosed() {
        eventStream?.detach()
        eventStream = nil
        server.forget(self)
    }

    /// Called by the server's sweep once `deadline` has passed.
    func timedOut(now: UInt64) {
        let method = head?.method ?? "GET"
        machine.timerFired(now: now, timeoutResponse: .failure(
            Problem.response(.requestTimeout, "The request was not received in time."), method: method))
        performActions()
    }

    /// The server is stopping (see `ConnectionStateMachine.shutdownBegan`).
    func shutdownBegan() {
        machine.shutdownBegan()
        performActions()
    }

    /// Output is queued that the client has not read yet: the write timeout runs.
    func outputQueued() {
        machine.outputQueued(now: server.clock.now)
    }

    /// Queued output moved; `remaining` bytes are left.
    func outputWritten(remaining: Int) {
        machine.outputProgressed(remaining: remaining, now: server.clock.now)
    }

    private func begin(_ head: RequestHead, now: UInt64) {
        self.head = head
        body = []
        if case .length(let length) = head.framing { body.reserveCapacity(length) }
        let hasBody = head.framing != .none
        // Refuse before the client sends the body when we already know the answer.
        if hasBody, head.expectsContinue, let refusal = server.preflight(head) { return fail(with: refusal) }
        requestID = machine.headReceived(
            keepAlive: head.keepAlive, hasBody: hasBody, expectsContinue: head.expectsContinue, now: now)
        if hasBody, head.expectsContinue { performActions() }
    }

    private func append(_ piece: Span<UInt8>, now: UInt64) {
        body.append(addingCapacity: piece.count) { output in
            for index in piece.indices { output.append(piece[index]) }
        }
        machine.bodyProgressed(now: now)
    }

    private func finishRequest(now: UInt64) {
        guard let head else { return }
        self.head = nil
        machine.requestEnded(now: now)
        let id = requestID
        let request = RequestContext(head: head, body: body, transport: transport)
        body = []
        if let reply = server.serve(request, responder: Responder(connection: self, id: id, head: head)) {
            respond(to: id, for: head, with: reply)
        }
    }

    /// Answers with an error and closes: the byte stream can no longer be trusted to frame
    /// another request.
    private func fail(with response: Response) {
        let method = head?.method ?? "GET"
        head = nil
        machine.requestFailed(.failure(response, method: method))
        performActions()
    }

    private func pauseInput() {
        guard !inputPaused else { return }
        inputPaused = true
        transport.stopReading()
    }

    /// Takes input again once answers made room under the in-flight bound.
    func resumeInputIfPaused() {
        guard inputPaused, !isParsing, machine.acceptsRequests else { return }
        inputPaused = false
        transport.startReading()
    }
}
