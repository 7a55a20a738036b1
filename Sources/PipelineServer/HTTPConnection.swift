import HTTP1
import UVLoop

/// One client's HTTP/1.1 session, as thin glue: feeds received bytes to the parser, turns what it
/// finds into events for `ConnectionStateMachine` (which holds every policy: phases, deadlines,
/// keep-alive, response order, close), dispatches complete requests, and performs the actions
/// the machine hands out (`HTTPConnection+Writing`).
///
/// Ownership: owned by its transport (a `Connection` holds its delegate strongly) and listed by
/// the server until the transport closes; holds both unowned. Each use of an unowned reference
/// costs an atomic increment and decrement, so the per-request paths take one strong reference
/// to what they use several times. Thread: loop thread only.
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
    /// The request being read, from its head on (its body is added as it arrives). A class
    /// reference: dropping an optional head by value went through the runtime's generic destroy,
    /// twice per request.
    private var request: RequestContext?
    private var requestID: Machine.RequestID = 0
    /// The answer decided from the head of the request being read: its body is dropped as it
    /// arrives, never buffered, and this is sent when it ends. Boxed: it is rare, and an idle
    /// connection should not carry a response's worth of room for it.
    private var refusal: Refusal?
    /// A refused request's declared body up to this size is read and dropped, so the connection
    /// survives a wrong password; a larger (or chunked) one is never read: the refusal closes.
    static let discardLimit = 64 * 1024
    var eventStream: EventStreamSink?
    /// True while `received` runs: an answer released meanwhile needs no resume of input, since
    /// the parse loop goes on by itself.
    private var isParsing = false
    /// Input was stopped because `maxInFlight` requests wait for their answers.
    private var inputPaused = false
    /// Input was stopped after `requestsPerTurn` requests; the server resumes it next loop turn.
    private var yielded = false

    /// Pipelined requests one connection is served in one loop turn before every other ready
    /// connection gets its turn (3,000 pipelined triggers in one read used to stall everyone
    /// else for over a second).
    static let requestsPerTurn = 32

    init(server: Server, transport: any Transport) {
        self.server = server
        self.transport = transport
        parser = RequestParser(settings: server.parserSettings)
        machine = Machine(timeouts: server.connectionTimeouts, now: server.clock.now)
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
        var served = 0
        let transport = self.transport  // one strong reference for the loop, not one per check
        while transport.acceptsInput, machine.acceptsRequests {
            let rest = bytes.extracting(offset...)
            let (event, consumed) = parser.parse(rest)
            offset += consumed
            switch consume event {
            case .needMoreBytes:
                // A partial head behind a pipelined request gets the head timeout, not the idle one.
                if offset < bytes.count { machine.headStarted(now: now) }
                return offset
            case .head(let head):
                begin(head, now: now)
            case .body(let range):
                append(rest.extracting(range))
            case .messageEnd:
                finishRequest(now: now)
                served += 1
                if served == Self.requestsPerTurn, offset < bytes.count, machine.acceptsRequests {
                    yieldTurn()
                    return offset
                }
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
        yielded = false  // the server's resume must not touch the (unowned) transport
        // A request cut off mid-body goes now: it holds its transport, which may hold this.
        request = nil
        refusal = nil
        eventStream?.detach()
        eventStream = nil
        server.forget(self)
    }

    /// Called by the server's sweep once `deadline` has passed.
    func timedOut(now: UInt64) {
        let method = request?.head.method ?? "GET"
        machine.timerFired(
            now: now,
            timeoutResponse: .failure(
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

    /// Takes the head over (it is kept until the request ends, moved rather than copied).
    private func begin(_ head: consuming RequestHead, now: UInt64) {
        let hasBody = head.framing != .none
        // A request with a body is decided from its head first (credentials, route), so an
        // unauthenticated client never makes the server hold its body.
        var preflighted: Server.Preflighted?
        if hasBody {
            switch server.preflight(head, from: transport) {
            case .refused(let refusal):
                guard !head.expectsContinue, case .length(let length) = head.framing, length <= Self.discardLimit
                else {
                    return fail(with: refusal, method: head.method)
                }
                self.refusal = Refusal(response: refusal)
            case .routed(let route):
                preflighted = route
            }
        }
        let expectsContinue = head.expectsContinue
        requestID = machine.headReceived(
            keepAlive: head.keepAlive, hasBody: hasBody, expectsContinue: expectsContinue, now: now)
        let framing = head.framing
        let request = RequestContext(head: head, transport: transport, preflighted: preflighted)
        if refusal == nil, case .length(let length) = framing { request.body.reserveCapacity(length) }
        self.request = request
        if hasBody, expectsContinue { performActions() }
    }

    private func append(_ piece: Span<UInt8>) {
        machine.bodyProgressed(piece.count)
        guard refusal == nil, let request else { return }
        // Sound: the buffer is only read, inside the closure that lends it.
        unsafe piece.withUnsafeBufferPointer { unsafe request.body.append(contentsOf: $0) }
    }

    private func finishRequest(now: UInt64) {
        guard let request = request.take() else { return }
        machine.requestEnded(now: now)
        let id = requestID
        if let refusal {
            self.refusal = nil
            return respond(to: id, for: request.head, with: .response(refusal.response))
        }
        if let reply = server.serve(request, responder: Responder(connection: self, id: id, head: request.head)) {
            respond(to: id, for: request.head, with: reply)
        }
    }

    /// Answers with an error and closes: the byte stream can no longer be trusted to frame
    /// another request.
    private func fail(with response: Response, method: String? = nil) {
        let method = method ?? request?.head.method ?? "GET"
        request = nil
        refusal = nil
        machine.requestFailed(.failure(response, method: method))
        performActions()
    }

    private func pauseInput() {
        guard !inputPaused else { return }
        inputPaused = true
        transport.stopReading()  // idempotent: a yielded connection's reading is already stopped
    }

    /// Leaves the bytes not yet parsed with the transport until the server's next loop turn.
    private func yieldTurn() {
        yielded = true
        transport.stopReading()
        server.yieldTurn(self)
    }

    /// The connection's next turn: parses what it left, then reads again.
    func resumeAfterYield() {
        guard yielded else { return }
        yielded = false
        guard machine.acceptsRequests else { return pauseInput() }
        transport.startReading()
    }

    /// Takes input again once answers made room under the in-flight bound.
    func resumeInputIfPaused() {
        guard inputPaused, !yielded, !isParsing, machine.acceptsRequests else { return }
        inputPaused = false
        transport.startReading()
    }
}

/// A refusal decided from a request's head, kept while its body is read and dropped.
private final class Refusal {
    let response: Response

    init(response: Response) {
        self.response = response
    }
}
