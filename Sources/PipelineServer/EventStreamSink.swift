import HTTP1

/// The write side of one Server-Sent Events response. Frames go out as chunks (or raw, for a
/// close-delimited HTTP/1.0 stream); a subscriber whose unread output passes `maxQueuedBytes`
/// is dropped, so a slow reader cannot grow the server's memory.
final class EventStreamSink {
    /// Unsent output one subscriber may hold before it is dropped.
    static let maxQueuedBytes = 1 << 20
    /// How long an ended stream (dropped, or ended by shutdown) may take to flush its last frames
    /// before its connection is closed anyway: a client that stopped reading must not hold the
    /// connection and its queued megabyte for the whole idle timeout. 5 s, like nginx's
    /// `lingering_timeout`.
    static let drainMilliseconds: UInt64 = 5_000

    /// What became of one frame.
    enum Delivery {
        case written
        /// The connection is closing or gone; nothing was written.
        case gone
        /// The subscriber was too far behind: it got `finalFrameIfSlow` and the stream ended.
        case dropped
    }

    private weak var transport: (any Transport)?
    /// HTTP/1.1 streams are chunked; an HTTP/1.0 stream is close-delimited (raw frames).
    let chunked: Bool
    /// Called when the sink goes away, so the publisher can forget it.
    var onDetach: (() -> Void)?
    /// Called once when the stream ends: the connection then closes once flushed, bounded by the
    /// drain window.
    var onEnd: (() -> Void)?

    init(transport: any Transport, chunked: Bool) {
        self.transport = transport
        self.chunked = chunked
    }

    var isOpen: Bool { transport.map { !$0.isClosing } ?? false }

    /// Writes one SSE frame (already formatted, ending in a blank line). A subscriber holding
    /// more than `maxQueuedBytes` of unsent output gets `finalFrameIfSlow` instead, and its
    /// stream ends.
    @discardableResult
    func send(_ frame: [UInt8], finalFrameIfSlow: [UInt8]? = nil) -> Delivery {
        send(encoded: [chunked ? ChunkEncoder.chunk(frame) : frame], finalFrameIfSlow: finalFrameIfSlow)
    }

    /// Writes pieces already framed for this stream (see `chunked`), as they are, one write
    /// each: how the hub hands every subscriber the same shared buffers (`FrameBatch`). Slow
    /// subscribers are dropped as with `send`.
    @discardableResult
    func send(encoded pieces: [[UInt8]], finalFrameIfSlow: [UInt8]? = nil) -> Delivery {
        guard let connection = transport, !connection.isClosing else { return .gone }
        if connection.queuedBytes > Self.maxQueuedBytes {
            end(finalFrame: finalFrameIfSlow)
            return .dropped
        }
        for piece in pieces { connection.write(piece, []) }
        return .written
    }

    /// Ends the stream cleanly, after `finalFrame` when given: the chunked terminator for
    /// HTTP/1.1; `onEnd` then has the connection close once its output is flushed.
    func end(finalFrame: [UInt8]? = nil) {
        guard let connection = transport, !connection.isClosing else { return }
        if let finalFrame {
            connection.write(chunked ? ChunkEncoder.chunk(finalFrame) + ChunkEncoder.end : finalFrame, [])
        } else if chunked {
            connection.write(ChunkEncoder.end, [])
        }
        let ended = onEnd
        onEnd = nil
        ended?()
        detach()
    }

    func detach() {
        let callback = onDetach
        onDetach = nil
        callback?()
    }
}
