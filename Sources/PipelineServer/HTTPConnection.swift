import HTTP1
import UVLoop

/// One client's HTTP/1.1 session: feeds received bytes to the parser, assembles each request,
/// dispatches it, and writes responses in request order. Also tracks which timeout applies now.
///
/// Ownership: owned by its `Connection` (as delegate) and listed by the server until the
/// connection closes. Thread: loop thread only.
final class HTTPConnection: ConnectionDelegate {
    /// What the connection is waiting for, which decides its deadline.
    enum Phase {
        /// Between requests (or before the first byte): idle timeout, header timeout for the first.
        case idle
        case readingHead
        case readingBody
        /// Serving a Server-Sent Events stream: no deadline while it is live (heartbeats keep it
        /// alive); once it has ended, the drain window bounds the flush of its last frames.
        case streaming
    }

    unowned let server: Server
    unowned let connection: Connection
    private var parser: RequestParser
    private var head: RequestHead?
    private var body: [UInt8] = []
    private(set) var phase = Phase.idle
    /// Loop time (ms) at which the current phase times out; `.max` when none applies.
    private(set) var deadline: UInt64
    /// Set when shutdown began: finish the request in progress, then close.
    var closeAfterResponse = false
    var eventStream: EventStreamSink?

    init(server: Server, connection: Connection) {
        self.server = server
        self.connection = connection
        parser = RequestParser(limits: server.configuration.limits)
        deadline = server.loop.now + server.configuration.headerTimeoutMilliseconds
    }

    func connection(_ connection: Connection, didReceive bytes: Span<UInt8>) -> Int {
        if phase == .streaming { return bytes.count }  // a stream's client has nothing more to say
        if phase == .idle { enter(.readingHead) }
        var offset = 0
        while connection.acceptsInput {
            let rest = bytes.extracting(offset...)
            let (event, consumed) = parser.parse(rest)
            offset += consumed
            switch event {
            case .needMoreBytes:
                // A partial head behind a pipelined request gets the head timeout, not the idle one.
                if phase == .idle, offset < bytes.count { enter(.readingHead) }
                return offset
            case .head(let head):
                begin(head)
            case .body(let range):
                append(rest.extracting(range))
            case .messageEnd:
                finishRequest()
            case .failure(let error):
                fail(with: Problem.response(for: error))
                return bytes.count
            }
        }
        return offset
    }

    func connectionDidReachEnd(_ connection: Connection) {
        if phase != .idle, phase != .streaming, let error = parser.finish() {
            fail(with: Problem.response(for: error))
        } else {
            connection.closeAfterFlush()
        }
    }

    func connectionDidClose(_ connection: Connection) {
        eventStream?.detach()
        eventStream = nil
        server.forget(self)
    }

    /// A stream that ended (its subscriber fell behind, or the server is stopping) still
    /// flushes its last frames, for at most `EventStreamSink.drainMilliseconds` (or the idle
    /// timeout, if shorter): a client that never reads them must not hold the connection and its
    /// queued output any longer.
    func streamDidEnd() {
        let window = min(EventStreamSink.drainMilliseconds, server.configuration.idleTimeoutMilliseconds)
        deadline = server.loop.now + window
    }

    /// Called by the server's sweep when `deadline` has passed.
    func timedOut() {
        switch phase {
        case .idle, .streaming:
            connection.close()
        case .readingHead, .readingBody:
            fail(with: Problem.response(.requestTimeout, "The request was not received in time."))
        }
    }

    func enter(_ next: Phase) {
        phase = next
        let configuration = server.configuration
        switch next {
        case .idle: deadline = server.loop.now + configuration.idleTimeoutMilliseconds
        case .readingHead: deadline = server.loop.now + configuration.headerTimeoutMilliseconds
        case .readingBody: deadline = server.loop.now + configuration.bodyTimeoutMilliseconds
        case .streaming: deadline = .max
        }
    }

    private func begin(_ head: RequestHead) {
        self.head = head
        body = []
        if case .length(let length) = head.framing { body.reserveCapacity(length) }
        guard head.framing != .none else { return }
        enter(.readingBody)
        if head.expectsContinue {
            // Refuse before the client sends the body when we already know the answer.
            if let refusal = server.preflight(head) { return fail(with: refusal) }
            connection.write(HTTPConnection.continueLine)
        }
    }

    private func append(_ piece: Span<UInt8>) {
        body.append(addingCapacity: piece.count) { output in
            for index in piece.indices { output.append(piece[index]) }
        }
        deadline = server.loop.now + server.configuration.bodyTimeoutMilliseconds
    }

    private func finishRequest() {
        guard let head else { return }
        self.head = nil
        let request = RequestContext(head: head, body: body)
        body = []
        let keepAlive = head.keepAlive && !closeAfterResponse && !server.isShuttingDown
        switch server.dispatch(request) {
        case .response(let response):
            send(response, for: head, keepAlive: keepAlive)
            if keepAlive { enter(.idle) } else { connection.closeAfterFlush() }
        case .stream(let streamHead, let attach):
            startStream(streamHead, for: head, attach: attach)
        }
    }

    /// Answers with an error and closes: the byte stream can no longer be trusted to frame
    /// another request.
    private func fail(with response: Response) {
        let method = head?.method ?? "GET"
        head = nil
        write(response, method: method, keepAlive: false)
        connection.closeAfterFlush()
    }

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
