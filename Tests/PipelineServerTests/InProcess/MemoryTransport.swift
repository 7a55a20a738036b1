import HTTP1
import UVLoop

@testable import PipelineServer

/// An in-memory byte stream under one `HTTPConnection`, standing in for a socket (as NIO's
/// `EmbeddedChannel` does): the test delivers bytes and EOF, reads what the server wrote, and
/// decides when written output is taken by the client. It keeps unconsumed input and pauses on
/// the same watermarks as `UVLoop.Connection`, so back-pressure and pipelining behave alike.
final class MemoryTransport: Transport, PeerAddressed {
    enum State: Equatable { case open, flushing, closedGracefully, closedAbruptly }

    /// The HTTP session on top; owned by the transport, as a `Connection` owns its delegate.
    var http: HTTPConnection!
    private(set) var state = State.open
    /// Everything written and not yet parsed by `readResponse`/`read(until:)`.
    private(set) var output: [UInt8] = []
    /// While true, written bytes stay queued until `clientReads` (a client that is slow or gone);
    /// while false, the client takes everything at once.
    var holdsOutput = false
    private(set) var queuedBytes = 0
    private var kept: [UInt8] = []
    private var reading = true
    let high = 256 * 1024
    let low = 64 * 1024
    /// The client's address; nil (the default) is a client the per-address limits do not count.
    var peer: PeerAddress?
    var peerAddress: String? { peer?.description }

    var acceptsInput: Bool { state == .open && queuedBytes <= high }
    var isClosing: Bool { state != .open }
    var isClosed: Bool { state == .closedGracefully || state == .closedAbruptly }

    // MARK: - Transport (what the server does)

    /// Every head array written, kept as handed over, as a socket's queued write keeps it.
    private(set) var writtenHeads: [[UInt8]] = []

    func write(_ head: [UInt8], _ body: [UInt8]) {
        guard state == .open else { return }
        writtenHeads.append(head)
        output += head
        output += body
        guard holdsOutput else { return }
        let wasEmpty = queuedBytes == 0
        queuedBytes += head.count + body.count
        if wasEmpty, queuedBytes > 0 { http.outputQueued() }
    }

    func closeAfterFlush() {
        guard state == .open else { return }
        state = .flushing
        kept = []
        if queuedBytes == 0 { finish(.closedGracefully) }
    }

    func close() {
        guard !isClosed else { return }
        finish(.closedAbruptly)
    }

    func startReading() {
        reading = true
        deliver()
    }

    func stopReading() { reading = false }

    // MARK: - The client's side (what the test does)

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Delivers bytes as one read; what the server leaves unconsumed is kept and offered again.
    func send(_ bytes: [UInt8]) {
        guard state == .open || state == .flushing else { return }
        kept += bytes
        deliver()
    }

    /// The client closes its side (EOF).
    func endInput() {
        guard state == .open else { return }
        http.peerEnded()
    }

    /// The client reads `count` queued bytes (all when nil): write-progress for the server.
    func clientReads(_ count: Int? = nil) {
        let taken = min(count ?? queuedBytes, queuedBytes)
        guard taken > 0 else { return }
        queuedBytes -= taken
        http.outputWritten(remaining: queuedBytes)
        if state == .flushing, queuedBytes == 0 { return finish(.closedGracefully) }
        if state == .open, queuedBytes <= low { deliver() }
    }

    /// One complete response from what was written, removed from the output; nil if there is none.
    func readResponse(toHEAD: Bool = false) -> HTTPReply? {
        HTTPReply.parse(&output, toHEAD: toHEAD)
    }

    /// Everything written so far, as text, if it contains `text` (for streams).
    func read(until text: String) -> String? {
        let all = String(decoding: output, as: UTF8.self)
        return all.contains(text) ? all : nil
    }

    /// Bytes written and not yet read as a response.
    var unreadCount: Int { output.count }

    private func deliver() {
        guard reading, state == .open, !kept.isEmpty else { return }
        var bytes: [UInt8] = []
        swap(&bytes, &kept)
        let consumed = http.received(bytes.span)
        guard state == .open, consumed < bytes.count else { return }
        kept = Array(bytes[consumed...]) + kept
    }

    private func finish(_ end: State) {
        state = end
        kept = []
        http.transportClosed()
    }
}
