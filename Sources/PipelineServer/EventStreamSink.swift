import HTTP1
import UVLoop

/// The write side of one Server-Sent Events response. Frames go out as chunks (or raw, for a
/// close-delimited HTTP/1.0 stream); a subscriber whose unread output passes `maxQueuedBytes`
/// is dropped, so a slow reader cannot grow the server's memory.
final class EventStreamSink {
    /// Unsent output one subscriber may hold before it is dropped.
    static let maxQueuedBytes = 1 << 20

    private weak var connection: Connection?
    private let chunked: Bool
    /// Called when the sink goes away, so the publisher can forget it.
    var onDetach: (() -> Void)?
    /// Called once when the stream ends, so the connection can bound the final flush.
    var onEnd: (() -> Void)?

    init(connection: Connection, chunked: Bool) {
        self.connection = connection
        self.chunked = chunked
    }

    var isOpen: Bool { connection.map { !$0.isClosing } ?? false }

    /// Writes one SSE frame (already formatted, ending in a blank line). Returns false when the
    /// subscriber is gone or too slow; a final frame then says why and the stream ends.
    @discardableResult
    func send(_ frame: [UInt8], finalFrameIfSlow: [UInt8]? = nil) -> Bool {
        guard let connection, !connection.isClosing else { return false }
        if connection.queuedBytes > Self.maxQueuedBytes {
            if let finalFrameIfSlow { write(finalFrameIfSlow, to: connection) }
            end()
            return false
        }
        write(frame, to: connection)
        return true
    }

    /// Ends the stream cleanly and closes the connection.
    func end() {
        guard let connection, !connection.isClosing else { return }
        if chunked { connection.write(ChunkEncoder.end) }
        connection.closeAfterFlush()
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

    private func write(_ frame: [UInt8], to connection: Connection) {
        if chunked {
            connection.write(ChunkEncoder.prefix(size: frame.count), frame + ChunkEncoder.suffix)
        } else {
            connection.write(frame)
        }
    }
}
