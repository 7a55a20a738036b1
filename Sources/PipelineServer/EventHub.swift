import Logging
import Pipelines

/// Fans run events out to Server-Sent Events subscribers and writes the structured
/// `stage_started` log line. Lives on the loop; subscribers are removed when their connection
/// closes or when they fall too far behind (see `EventStreamSink.maxQueuedBytes`).
final class EventHub {
    private struct Subscriber {
        let sink: EventStreamSink
        let pipelineID: String?
    }

    private static let heartbeatFrame = Array(": heartbeat\n\n".utf8)

    private var subscribers: [ObjectIdentifier: Subscriber] = [:]
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    var subscriberCount: Int { subscribers.count }

    /// Publishes events in order to every matching subscriber.
    func publish(_ events: [RunEvent]) {
        for event in events {
            if event.kind == .stageStarted {
                logger.info("stage_started", metadata: [
                    "pipeline_id": "\(event.pipelineID)", "run_id": "\(event.runID)",
                    "stage": "\(event.stage ?? "")", "at": "\(event.at.rfc3339)", "seq": "\(event.seq)",
                ])
            }
            guard !subscribers.isEmpty else { continue }
            let frame = Self.frame(for: event)
            for (key, subscriber) in subscribers where subscriber.pipelineID == nil || subscriber.pipelineID == event.pipelineID {
                if !subscriber.sink.send(frame, finalFrameIfSlow: Self.droppedFrame) { subscribers[key] = nil }
            }
        }
    }

    /// Adds a subscriber after replaying what it missed since `lastEventID`.
    func subscribe(_ sink: EventStreamSink, pipelineID: String?, replay: (events: [RunEvent], missed: Bool), lastEventID: UInt64?) {
        if replay.missed, let lastEventID {
            sink.send(Self.lostFrame(since: lastEventID))
        }
        for event in replay.events { sink.send(Self.frame(for: event)) }
        guard sink.isOpen else { return }
        let key = ObjectIdentifier(sink)
        subscribers[key] = Subscriber(sink: sink, pipelineID: pipelineID)
        sink.onDetach = { [weak self] in self?.subscribers[key] = nil }
    }

    func heartbeat() {
        for (key, subscriber) in subscribers where !subscriber.sink.send(Self.heartbeatFrame, finalFrameIfSlow: Self.droppedFrame) {
            subscribers[key] = nil
        }
    }

    /// Ends every stream (shutdown).
    func closeAll() {
        let all = subscribers.values
        subscribers = [:]
        for subscriber in all { subscriber.sink.end() }
    }

    /// `id: <seq>`, `event: <type>`, `data: <one JSON object>`, blank line.
    static func frame(for event: RunEvent) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        event.write(to: &writer)
        var frame = Array("id: \(event.seq)\nevent: \(event.type)\ndata: ".utf8)
        frame += writer.bytes
        frame += Array("\n\n".utf8)
        return frame
    }

    /// The first frame of a resumed stream whose `Last-Event-ID` is older than the ring.
    static func lostFrame(since lastEventID: UInt64) -> [UInt8] {
        Array("event: events_lost\ndata: {\"last_event_id\":\(lastEventID),\"detail\":\"Events after this id are no longer kept; the replay starts at the oldest kept event.\"}\n\n".utf8)
    }

    static let droppedFrame = Array(
        "event: subscriber_dropped\ndata: {\"detail\":\"This subscriber fell too far behind and was disconnected; reconnect with Last-Event-ID.\"}\n\n".utf8)
}
