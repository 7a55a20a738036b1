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
    /// Subscribers dropped for falling behind since start, logged with each drop so an operator
    /// sees a trend rather than isolated lines.
    private(set) var droppedCount = 0

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
                deliver(frame, to: key, subscriber)
            }
        }
    }

    /// Adds a subscriber after replaying what it missed since the `Last-Event-ID` it resumes
    /// from, preceded by `events_lost` when some of that is no longer kept.
    func subscribe(
        _ sink: EventStreamSink, pipelineID: String?, replay: (events: [RunEvent], missed: Bool),
        resumingFrom resume: (lastEventID: UInt64, oldestKept: UInt64)?
    ) {
        if replay.missed, let resume {
            sink.send(ControlEvents.lost(since: resume.lastEventID, oldestKept: resume.oldestKept))
        }
        for event in replay.events { sink.send(Self.frame(for: event)) }
        guard sink.isOpen else { return }
        let key = ObjectIdentifier(sink)
        subscribers[key] = Subscriber(sink: sink, pipelineID: pipelineID)
        sink.onDetach = { [weak self] in self?.subscribers[key] = nil }
    }

    func heartbeat() {
        for (key, subscriber) in subscribers { deliver(Self.heartbeatFrame, to: key, subscriber) }
    }

    /// Ends every stream with a `server_stopping` event (shutdown).
    func closeAll() {
        let all = subscribers.values
        subscribers = [:]
        for subscriber in all { subscriber.sink.end(finalFrame: ControlEvents.stopping) }
    }

    private func deliver(_ frame: [UInt8], to key: ObjectIdentifier, _ subscriber: Subscriber) {
        switch subscriber.sink.send(frame, finalFrameIfSlow: ControlEvents.dropped) {
        case .written:
            return
        case .gone:
            subscribers[key] = nil
        case .dropped:
            subscribers[key] = nil
            droppedCount += 1
            logger.warning("subscriber_dropped", metadata: [
                "pipeline_id": "\(subscriber.pipelineID ?? "*")", "dropped_total": "\(droppedCount)",
            ])
        }
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
}
