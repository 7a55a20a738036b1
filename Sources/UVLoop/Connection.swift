import CLibUV

/// What a connection's owner (the HTTP layer) is told; every call arrives on the loop thread.
public protocol ConnectionDelegate: AnyObject {
    /// Offers every byte received and not yet consumed; returns how many leading bytes it used.
    /// Unused bytes are kept and offered again, followed by new ones.
    func connection(_ connection: Connection, didReceive bytes: Span<UInt8>) -> Int
    /// The peer finished sending (EOF). Queued writes can still be flushed.
    func connectionDidReachEnd(_ connection: Connection)
    /// The handle is closed; the connection will not call the delegate again.
    func connectionDidClose(_ connection: Connection)
    /// Output the socket did not take at once is now queued (`queuedBytes` went above 0): the
    /// owner can start a write timeout.
    func connectionDidQueueOutput(_ connection: Connection)
    /// A queued write finished; `remaining` bytes are still queued. What lets the owner tell a
    /// client that reads slowly from one that stopped reading.
    func connection(_ connection: Connection, didWrite remaining: Int)
}

extension ConnectionDelegate {
    public func connectionDidQueueOutput(_ connection: Connection) {}
    public func connection(_ connection: Connection, didWrite remaining: Int) {}
}

/// One accepted TCP connection: reads into the loop's shared buffer, writes head + body vectored,
/// pauses reading while too much output is queued, and closes through a small state machine.
///
/// Ownership: the connection retains itself while its handle is open (released in the close
/// callback, which also frees the handle) and owns its delegate strongly until then.
/// Thread: loop thread only.
@safe
public final class Connection {
    /// Output bounds: reading pauses above `high` queued bytes and resumes below `low`, so a
    /// client that does not read its responses cannot make the server buffer without limit.
    public struct Watermarks: Sendable {
        public var high = 256 * 1024
        public var low = 64 * 1024
        public init() {}
    }

    enum State { case open, flushing, lingering, closing, closed }

    /// How long a closing connection keeps draining input after its last response, so the
    /// client reads that response instead of a reset.
    public static let lingerMilliseconds: UInt64 = 2_000

    let handle: UnsafeMutablePointer<uv_tcp_t>
    let loop: Loop
    public var delegate: (any ConnectionDelegate)?
    /// Told once after the handle closed, so it can count open connections (a reference, not a
    /// closure: no per-connection allocation for it).
    weak var listener: Listener?
    var state = State.open
    var isReading = false
    /// The peer sent EOF: nothing is left to drain, so closing skips the linger.
    var peerFinished = false
    var wantsReading = false
    /// Bytes received but not yet consumed; empty (and unallocated) for an idle connection.
    var pending: [UInt8] = []
    public internal(set) var queuedBytes = 0
    /// The client's address as the listener found it at accept (for its per-address cap): what
    /// per-client counts key on, with no system call per request. nil if the socket had no peer.
    public internal(set) var peer: PeerAddress?
    public var watermarks = Watermarks()
    var lingerTimer: LoopTimer?

    init(loop: Loop) throws(UVError) {
        self.loop = loop
        unsafe handle = .allocate(capacity: 1)
        let status = unsafe uv_tcp_init(loop.raw, handle)
        guard status == 0 else {
            unsafe handle.deallocate()
            throw UVError(code: status, operation: "uv_tcp_init")
        }
        // Ownership: released once, in `onClose`.
        unsafe handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    var stream: UnsafeMutablePointer<uv_stream_t> { unsafe cuv_tcp_stream(handle) }

    /// True while the connection takes new input: open, and its output below the high-water mark.
    public var acceptsInput: Bool { state == .open && queuedBytes <= watermarks.high }

    /// True once a close of any kind has begun.
    public var isClosing: Bool { state != .open }

    /// Starts (or resumes) delivering input to the delegate; bytes it left unconsumed are
    /// offered again first. Call it outside the delegate's `didReceive`, which re-offers nothing.
    public func startReading() {
        loop.assertInLoop()
        wantsReading = true
        deliverPending()
        updateReading()
    }

    /// Stops reading from the socket until `startReading`: the delegate cannot take more
    /// requests yet, and what it left unconsumed is all the connection keeps meanwhile (the
    /// rest waits in the kernel, which pushes back on the client).
    public func stopReading() {
        loop.assertInLoop()
        wantsReading = false
        updateReading()
    }

    /// Reads only while the delegate can take input (or while lingering, to drain and discard).
    func updateReading() {
        let shouldRead = (wantsReading && acceptsInput) || state == .lingering
        guard shouldRead != isReading, state != .closing, state != .closed else { return }
        if shouldRead {
            isReading = unsafe uv_read_start(stream, Connection.onAlloc, Connection.onRead) == 0
            if !isReading { close() }
        } else {
            unsafe uv_read_stop(stream)
            isReading = false
        }
    }

    func received(_ count: Int) {
        guard state == .open else { return }  // lingering: input is drained and dropped
        let fresh = unsafe UnsafeBufferPointer(rebasing: loop.sharedReadBuffer[0..<count])
        if pending.isEmpty {
            let consumed = unsafe delegate?.connection(self, didReceive: fresh.span) ?? count
            if consumed < count, state == .open { unsafe pending.append(contentsOf: fresh[consumed...]) }
        } else {
            unsafe pending.append(contentsOf: fresh)
            deliverPending()
        }
        updateReading()
    }

    /// Offers kept bytes again, e.g. after output drained and the delegate may continue.
    func deliverPending() {
        guard !pending.isEmpty, state == .open, let delegate else { return }
        // Taken out of `pending` while the delegate borrows them: it may close the connection,
        // which clears `pending`.
        var bytes: [UInt8] = []
        swap(&bytes, &pending)
        let consumed = delegate.connection(self, didReceive: bytes.span)
        guard state == .open, consumed < bytes.count else { return }  // else: freed, idle holds none
        bytes.removeFirst(consumed)
        pending = bytes
    }

    func peerClosed() {
        peerFinished = true
        if state == .open, let delegate {
            delegate.connectionDidReachEnd(self)
        } else {
            close()
        }
    }
}
