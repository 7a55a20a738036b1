/// The policy of one client connection as a value: which phase it is in, which deadline applies,
/// whether it stays open after a response, and in which order responses leave. It takes events
/// (a request head or its end was parsed, a response became ready, output backed up or drained,
/// the clock moved, the peer or the server is done) and the glue then takes the resulting actions
/// one by one with `nextAction()`, until it returns nil. It does no I/O and reads no clock, so
/// every rule is tested without a socket.
///
/// Actions are pulled rather than returned as an array so the hot path (one request, one
/// response) allocates nothing for them: the machine already holds what they describe (the
/// queue of responses, a due `100 Continue`, a decided close).
///
/// A response may become ready later than its request ended — a write is answered only after its
/// commit — so each request gets a slot in arrival order, and a slot is released only when every
/// slot before it was: pipelined responses always leave in request order.
///
/// Bounds: at most `maxInFlight` requests wait for their responses; while that many do, the glue
/// stops parsing (`acceptsRequests` is false) and the client's bytes stay in the kernel.
struct ConnectionStateMachine<Payload> {
    /// Every deadline the connection can be under, in loop milliseconds. A class: one server's
    /// connections share one instance rather than carry 56 bytes each.
    final class Timeouts: Sendable {
        /// A request head must be complete within this of its first byte (slowloris guard).
        let head: UInt64
        /// A request body must be complete within this of its head, however it trickles in
        /// (nginx's `client_body_timeout` restarts per read; a drip would then hold the
        /// connection for ever).
        let body: UInt64
        /// A keep-alive connection with nothing in progress closes after this.
        let idle: UInt64
        /// Queued output must make progress at least this often, or the client is not reading.
        let write: UInt64
        /// After an event stream ended, its last frames get this long to leave.
        let drain: UInt64
        /// The body rate floor: after `bodyGrace` ms a body must have averaged at least
        /// `minBodyRate` bytes per second since then; 0 turns the floor off.
        let minBodyRate: UInt64
        let bodyGrace: UInt64

        init(
            head: UInt64, body: UInt64, idle: UInt64, write: UInt64, drain: UInt64, minBodyRate: UInt64 = 0,
            bodyGrace: UInt64 = 0
        ) {
            self.head = head
            self.body = body
            self.idle = idle
            self.write = write
            self.drain = drain
            self.minBodyRate = minBodyRate
            self.bodyGrace = bodyGrace
        }
    }

    /// What the connection is waiting for.
    enum Phase: Equatable {
        /// Nothing in progress on the input side (responses may still be pending).
        case idle
        case readingHead
        case readingBody
        /// An event stream owns the connection; input is ignored.
        case streaming
        /// No more requests are read; pending responses still leave, then the connection closes.
        case closing
        /// The close was handed to the glue; every later event is ignored.
        case closed
    }

    /// How a released payload uses the connection.
    enum Kind {
        /// A complete response: the connection may serve the next request after it.
        case complete
        /// A complete response whose end is the connection's close (a close-delimited body):
        /// nothing is served after it, whatever the client asked.
        case last
        /// The head of an event stream, which keeps the connection until it ends.
        case stream
    }

    /// What the glue must do, in order.
    enum Action {
        /// Write this payload; `keepAlive` says whether the response keeps the connection open.
        case send(Payload, keepAlive: Bool)
        /// Write `100 Continue`: the head passed every check that could be made before the body.
        case sendContinue
        /// Stop reading once queued output is written, then close (a graceful end).
        case closeAfterFlush
        /// Close at once: the client is gone, stalled, or past a deadline that has no answer.
        case close
    }

    typealias RequestID = UInt64

    /// Requests allowed to wait for their responses at once.
    static var maxInFlight: Int { 16 }

    let timeouts: Timeouts
    private(set) var phase = Phase.idle
    /// Loop time at which the current input phase times out; `.max` when none applies.
    private(set) var inputDeadline: UInt64
    /// Loop time by which queued output must have moved; `.max` while nothing is stuck.
    private(set) var outputDeadline: UInt64 = .max
    /// Set by `shutdownBegan`: every response from now on closes the connection.
    private var draining = false
    private var nextID: RequestID = 0
    /// The request being read: its id, and whether the client asked to keep the connection.
    private var current: (id: RequestID, keepAlive: Bool)?
    /// Requests whose end was read and whose responses are not yet sent, oldest first.
    private var pending = AnswerQueue()
    /// A `100 Continue` is due before anything else.
    private var continueDue = false
    /// The close decided, handed out after every releasable response.
    private var end: End?
    /// When the body being read began, and how many of its bytes arrived: the total deadline and
    /// the rate floor are both worked out from these.
    private var bodyStart: UInt64 = 0
    private var bodyReceived: UInt64 = 0

    private enum End { case afterFlush, now }

    /// A new connection: its first request gets the head timeout even before its first byte,
    /// so a client that never speaks cannot hold the connection for the idle timeout.
    init(timeouts: Timeouts, now: UInt64) {
        self.timeouts = timeouts
        inputDeadline = now + timeouts.head
    }

    /// The earliest time something times out; the glue's sweep calls `timerFired` after it.
    var deadline: UInt64 { min(inputDeadline, outputDeadline) }

    /// False while the glue must not parse more requests: in-flight bound reached, or no more
    /// requests will be served on this connection.
    var acceptsRequests: Bool {
        switch phase {
        case .streaming, .closing, .closed: false
        case .idle, .readingHead, .readingBody: pending.count < Self.maxInFlight
        }
    }

    /// How many requests wait for their responses.
    var inFlight: Int { pending.count }

    // MARK: - Input

    /// Bytes of a new request head arrived.
    mutating func headStarted(now: UInt64) {
        guard phase == .idle else { return }
        phase = .readingHead
        inputDeadline = now + timeouts.head
    }

    /// A request head was parsed. `keepAlive` is the client's choice (version and `Connection`);
    /// `hasBody` whether a body follows; `expectsContinue` whether it waits for `100 Continue`
    /// (then `nextAction()` hands it out). Returns the request's id, which its response names in
    /// `responseReady`.
    mutating func headReceived(keepAlive: Bool, hasBody: Bool, expectsContinue: Bool, now: UInt64) -> RequestID {
        headStarted(now: now)
        guard phase == .readingHead else { return 0 }  // no request is read in this phase: ignored
        nextID += 1
        current = (nextID, keepAlive)
        guard hasBody else { return nextID }
        phase = .readingBody
        bodyStart = now
        bodyReceived = 0
        inputDeadline = bodyDeadline
        continueDue = expectsContinue
        return nextID
    }

    /// `count` more bytes of the body arrived. They do not restart the body timeout; they only
    /// move the rate floor's deadline out.
    mutating func bodyProgressed(_ count: Int) {
        guard phase == .readingBody else { return }
        bodyReceived += UInt64(count)
        inputDeadline = bodyDeadline
    }

    /// The earlier of the total body deadline and the time at which the bytes received so far
    /// fall below the rate floor (`received ≥ rate × (elapsed − grace)`).
    private var bodyDeadline: UInt64 {
        let total = bodyStart + timeouts.body
        guard timeouts.minBodyRate > 0 else { return total }
        let (scaled, overflow) = bodyReceived.multipliedReportingOverflow(by: 1000)
        if overflow { return total }
        return min(total, bodyStart + timeouts.bodyGrace + scaled / timeouts.minBodyRate)
    }

    /// The request's last byte was read; the glue dispatches it now. The answer comes with
    /// `responseReady`, at once or later.
    mutating func requestEnded(now: UInt64) {
        guard let request = current else { return }
        current = nil
        continueDue = false
        pending.append(id: request.id, keepAlive: request.keepAlive)
        if phase == .readingHead || phase == .readingBody {
            // After `Connection: close`, or once the server is stopping, no request is read.
            phase = request.keepAlive && !draining ? .idle : .closing
        }
        inputDeadline = phase == .idle ? now + timeouts.idle : .max
    }

    /// The request in progress cannot be framed (a parse error, a refusal before the body, a
    /// timeout): `response` is sent after every response still pending, then the connection
    /// closes, because the byte stream can no longer be trusted to frame another request.
    mutating func requestFailed(_ response: Payload) {
        guard phase != .closed, phase != .streaming else { return }
        current = nil
        continueDue = false
        phase = .closing
        inputDeadline = .max
        nextID += 1
        pending.append(id: nextID, keepAlive: false, ready: (response, .complete))
    }

    /// The client closed its side. Responses still pending are sent; then the connection closes.
    mutating func peerEnded() {
        guard phase != .closed else { return }
        current = nil
        continueDue = false
        if phase != .streaming { phase = .closing }
        inputDeadline = .max
        if pending.isEmpty { end = .afterFlush }
    }

    // MARK: - Output

    /// The answer to request `id` is ready; `nextAction()` hands out what can now be written,
    /// in request order.
    mutating func responseReady(_ id: RequestID, _ payload: Payload, kind: Kind = .complete) {
        pending.setReady(id, (payload, kind))
    }

    /// Output is queued that the client has not taken yet; it must move within the write timeout.
    mutating func outputQueued(now: UInt64) {
        if outputDeadline == .max { outputDeadline = now + timeouts.write }
    }

    /// Some queued output was written: the write timeout starts again, or ends when nothing is left.
    mutating func outputProgressed(remaining: Int, now: UInt64) {
        outputDeadline = remaining > 0 ? now + timeouts.write : .max
    }

    /// The event stream that owns the connection ended: its last frames get the drain window,
    /// then the connection closes (`closeAfterFlush` now, `close` if the window passes).
    mutating func streamEnded(now: UInt64) {
        guard phase == .streaming else { return }
        phase = .closing
        inputDeadline = now + timeouts.drain
        end = .afterFlush
    }

    // MARK: - Time and shutdown

    /// The sweep found `deadline` passed. A request cut off mid-way gets `timeoutResponse`
    /// (408) unless output is stuck, in which case nothing more can be said.
    mutating func timerFired(now: UInt64, timeoutResponse: @autoclosure () -> Payload) {
        if outputDeadline <= now { return closeNow() }
        guard inputDeadline <= now else { return }
        switch phase {
        case .readingHead, .readingBody:
            requestFailed(timeoutResponse())
        case .idle:
            // A pending response (waiting for a commit) is the server's delay, not the client's.
            guard pending.isEmpty else {
                inputDeadline = now + timeouts.idle
                return
            }
            closeNow()
        case .streaming, .closing:
            closeNow()
        case .closed:
            return
        }
    }

    /// The server is stopping: an idle connection closes now, one with responses pending closes
    /// after the last of them, a request being read is finished and answered with
    /// `Connection: close` (the glue bounds this with the grace period), and a stream is ended
    /// by the glue with its final event.
    mutating func shutdownBegan() {
        draining = true
        guard phase == .idle else { return }
        phase = .closing
        inputDeadline = .max
        if pending.isEmpty { closeNow() }
    }

    // MARK: - Actions

    /// The next thing the glue must do, or nil when nothing is due. A `100 Continue` comes first;
    /// then every ready response at the front of the queue, stopping at the first that is not
    /// ready; then the close, if one was decided. A response is the connection's last when the
    /// client asked for that, or when the connection reads no more requests and nothing else is
    /// pending; then it closes.
    mutating func nextAction() -> Action? {
        if end == .now { return finish(closing: true) }
        if continueDue {
            continueDue = false
            return .sendContinue
        }
        if pending.frontIsReady {
            // Moved out, not copied: the payload is handed to the glue exactly once.
            let first = pending.removeFront()
            return .send(first.payload, keepAlive: release(keepAlive: first.keepAlive, first.kind))
        }
        if let decided = end, pending.isEmpty || decided == .now {
            return finish(closing: decided == .now)
        }
        return nil
    }

    /// Decides to close at once; `nextAction()` hands it out before anything else.
    /// The answer to request `id` is ready as it is read, with nothing queued before it (a
    /// synchronous route, the usual case): it leaves now, never queued. Returns the `keepAlive`
    /// that `nextAction` would have sent it with, or nil when it must take its turn, and
    /// `responseReady` queues it. Any action it leads to (a close) comes from `nextAction`; when
    /// it returns true (the connection stays open) none is due.
    mutating func releaseAtOnce(_ id: RequestID, kind: Kind) -> Bool? {
        guard end == nil, !continueDue, let keepAlive = pending.removeIfAlone(id) else { return nil }
        return release(keepAlive: keepAlive, kind)
    }

    /// What sending the oldest answer does to the connection; returns whether it stays open.
    private mutating func release(keepAlive: Bool, _ kind: Kind) -> Bool {
        switch kind {
        case .stream:
            // A stream takes the connection: requests pipelined behind it are not served.
            phase = .streaming
            inputDeadline = .max
            pending.removeAll()
            return true
        case .complete, .last:
            let isLast = kind == .last || !keepAlive || (phase == .closing && pending.isEmpty)
            if isLast {
                phase = .closing
                inputDeadline = .max
                pending.removeAll()
                end = .afterFlush
            }
            return !isLast
        }
    }

    private mutating func closeNow() {
        end = .now
    }

    /// Hands out the close. After `closeAfterFlush` the drain window and the write timeout still
    /// apply (a client that never reads the last frames must not hold the connection); after
    /// `close` nothing does.
    private mutating func finish(closing now: Bool) -> Action {
        end = nil
        pending.removeAll()
        guard now else {
            phase = .closing
            return .closeAfterFlush
        }
        phase = .closed
        inputDeadline = .max
        outputDeadline = .max
        return .close
    }
}
