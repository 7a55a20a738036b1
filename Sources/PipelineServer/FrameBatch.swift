import HTTP1
import Pipelines

/// The events of one loop turn, encoded once for every subscriber.
///
/// Why: with 1,000 subscribers, formatting (and chunk-framing) each event per subscriber and
/// writing it with its own system call cost ~6.6 µs per frame, and a trigger storm stalled every
/// other client for seconds. Here each event's SSE frame is built once, and the pieces of a whole
/// batch — each a chunk for HTTP/1.1, raw for a close-delimited HTTP/1.0 stream — are built once
/// per distinct subscription (`?pipeline_id=` filter and framing) and shared: Swift arrays are
/// copy-on-write, so every subscriber's write borrows the same storage.
/// Thread: the loop thread, for the duration of one flush.
final class FrameBatch {
    private struct Key: Hashable {
        let pipelineID: String?
        let chunked: Bool
    }

    /// The most bytes one piece gathers (a single larger frame stays whole).
    ///
    /// Why pieces, not one buffer: a client that falls behind has a small receive window, and on
    /// loopback (64 KiB segments) Linux then sends large writes only through window probes that
    /// back off exponentially, so a lagging subscriber's last frames (and its
    /// `subscriber_dropped`) took minutes to arrive. Writes of 4 KiB kept flowing; 16 KiB did not.
    static let pieceBytes = 4 << 10

    private let events: [RunEvent]
    private var frames: [[UInt8]] = []
    private var encoded: [Key: [[UInt8]]] = [:]

    init(events: [RunEvent]) {
        self.events = events
    }

    /// What to write to a subscriber of `pipelineID` (nil: every event) on a `chunked` or raw
    /// stream, one write per piece; empty when no event matches.
    func pieces(for pipelineID: String?, chunked: Bool) -> [[UInt8]] {
        let key = Key(pipelineID: pipelineID, chunked: chunked)
        if let pieces = encoded[key] { return pieces }
        if frames.isEmpty { frames = events.map(EventHub.frame(for:)) }
        var pieces: [[UInt8]] = []
        var payload: [UInt8] = []
        for (event, frame) in zip(events, frames) where pipelineID == nil || event.pipelineID == pipelineID {
            if !payload.isEmpty, payload.count + frame.count > Self.pieceBytes {
                pieces.append(chunked ? ChunkEncoder.chunk(payload) : payload)
                payload.removeAll(keepingCapacity: true)
            }
            payload += frame
        }
        if !payload.isEmpty { pieces.append(chunked ? ChunkEncoder.chunk(payload) : payload) }
        encoded[key] = pieces
        return pieces
    }
}
