import HTTP1
import Logging
import Pipelines

/// Fans run events out to Server-Sent Events subscribers and writes the structured
/// `stage_started` log line. Lives on the loop; subscribers are removed when their connection
/// closes or when they fall too far behind (see `EventStreamSink.maxQueuedBytes`).
final class EventHub {
    private struct Subscriber {
        let sink: EventStreamSink
        let pipelineID: String?
        let address: String?
    }

    private static let heartbeatFrame = Array(": heartbeat\n\n".utf8)
    private static let chunkedHeartbeat = ChunkEncoder.chunk(heartbeatFrame)

    private var subscribers: [ObjectIdentifier: Subscriber] = [:]
    /// One batch of events and who is to get it, in publishing order.
    private struct Outgoing {
        let batch: FrameBatch
        let recipients: [ObjectIdentifier]
    }

    /// Events published since the last `flush()`, in order.
    private var pending: [RunEvent] = []
    /// Batches not yet written to all their recipients, oldest first; the first has been
    /// written to its recipients before `nextRecipient`.
    private var outgoing: [Outgoing] = []
    private var nextRecipient = 0
    /// Open streams per client address, so that one client cannot hold all the fan-out's work
    /// (every subscriber costs a write per loop turn) or memory (up to 1 MiB queued each).
    private var perAddress: [String: Int] = [:]
    /// Streams one address may hold (`--max-subscribers-per-address`); more are refused with 429.
    var maxSubscribersPerAddress = ServerConfiguration().maxSubscribersPerAddress
    /// Set once something calls `flush()` before every poll of the loop (the server's
    /// `BeforePollHook`); until then (in-process tests) `publish` writes at once.
    var flushesBeforePoll = false
    private let logger: Logger
    /// Subscribers dropped for falling behind since start, logged with each drop so an operator
    /// sees a trend rather than isolated lines.
    private(set) var droppedCount = 0

    /// Rate limit of the `stage_started` log lines (`--stage-log-rate`).
    var stageLog = LogRateLimiter(perSecond: ServerConfiguration().stageLogLinesPerSecond)
    private let clock: any MonotonicClock

    init(logger: Logger, clock: any MonotonicClock) {
        self.logger = logger
        self.clock = clock
    }

    /// Says in one line how many `stage_started` lines the rate limit held back, once a second
    /// has passed since the first; called before every poll of the loop (which the server's
    /// sweep timer wakes at least once a second).
    func reportSuppressedLogLines() {
        guard let report = stageLog.report(now: clock.now) else { return }
        logger.notice(
            "log_lines_suppressed",
            metadata: [
                "message": "stage_started", "suppressed": "\(report.lines)", "milliseconds": "\(report.milliseconds)",
            ])
    }

    var subscriberCount: Int { subscribers.count }

    /// Whether a client at `address` may open another stream (`maxSubscribersPerAddress`); a
    /// transport without an address (in-process tests) is not limited.
    func admits(_ address: String?) -> Bool {
        guard let address else { return true }
        return perAddress[address, default: 0] < maxSubscribersPerAddress
    }

    private func remove(_ key: ObjectIdentifier) {
        guard let gone = subscribers.removeValue(forKey: key), let address = gone.address else { return }
        let left = perAddress[address, default: 1] - 1
        perAddress[address] = left > 0 ? left : nil
    }

    /// Publishes events in order to every matching subscriber: at once, or — once
    /// `flushesBeforePoll` is set — with every other event of this loop turn when `flush` runs
    /// before the loop polls, so a subscriber gets one write per loop turn however many events a
    /// storm of triggers produced in it.
    func publish(_ events: [RunEvent]) {
        var now: UInt64?
        // By index, matching the kind in place: a trigger publishes seven events and one is a
        // `stage_started`; copying each (two strings to retain and release) to test its kind
        // cost more than the test.
        for index in events.indices {
            guard case .stageStarted = events[index].kind else { continue }
            let event = events[index]
            let time = now ?? clock.now
            now = time
            guard stageLog.admit(now: time) else { continue }
            logger.info(
                "stage_started",
                metadata: [
                    "pipeline_id": "\(event.pipelineID)", "run_id": "\(event.runID)",
                    "stage": "\(event.stage ?? "")", "at": "\(event.at.rfc3339)", "seq": "\(event.seq)",
                ])
        }
        guard !subscribers.isEmpty else { return }
        pending += events
        if !flushesBeforePoll { _ = flush() }
    }

    /// Writes what was published, oldest batch first: each batch encoded once (`FrameBatch`),
    /// one shared buffer and one write per subscriber. Stops once `budget` is spent — bytes
    /// written plus `writeCost` per write — so one storm cannot hold the loop for long; returns
    /// true when work remains for the next turn.
    func flush(budget: Int = .max) -> Bool {
        seal()
        var spent = 0
        while let outgoing = outgoing.first {
            while nextRecipient < outgoing.recipients.count {
                guard spent < budget else { return true }
                let key = outgoing.recipients[nextRecipient]
                nextRecipient += 1
                guard let subscriber = subscribers[key] else { continue }  // gone meanwhile
                let sink = subscriber.sink
                let pieces = outgoing.batch.pieces(for: subscriber.pipelineID, chunked: sink.chunked)
                guard !pieces.isEmpty else { continue }
                deliver(pieces, to: key, subscriber)
                spent += pieces.reduce(0) { $0 + $1.count + Self.writeCost }
            }
            self.outgoing.removeFirst()
            nextRecipient = 0
        }
        return false
    }

    /// What one loop turn may write to subscribers (`flush`'s budget): about 1–2 ms of work here.
    static let turnBudget = 1 << 20
    /// A write's fixed cost (system call, bookkeeping) counted in bytes against the budget.
    static let writeCost = 4 << 10

    /// Turns the pending events into a batch for the subscribers there are now: one who
    /// subscribes later gets these in its replay, not its stream.
    private func seal() {
        guard !pending.isEmpty else { return }
        outgoing.append(Outgoing(batch: FrameBatch(events: pending), recipients: Array(subscribers.keys)))
        pending = []
    }

    /// Adds a subscriber after replaying what it missed since the `Last-Event-ID` it resumes
    /// from, preceded by `events_lost` when some of that is no longer kept.
    func subscribe(
        _ sink: EventStreamSink, pipelineID: String?, address: String?, replay: (events: [RunEvent], missed: Bool),
        resumingFrom resume: (lastEventID: UInt64, oldestKept: UInt64)?
    ) {
        seal()
        if replay.missed, let resume {
            sink.send(ControlEvents.lost(since: resume.lastEventID, oldestKept: resume.oldestKept))
        }
        for event in replay.events { sink.send(Self.frame(for: event)) }
        guard sink.isOpen else { return }
        let key = ObjectIdentifier(sink)
        subscribers[key] = Subscriber(sink: sink, pipelineID: pipelineID, address: address)
        if let address { perAddress[address, default: 0] += 1 }
        sink.onDetach = { [weak self] in self?.remove(key) }
    }

    func heartbeat() {
        for (key, subscriber) in subscribers {
            deliver([subscriber.sink.chunked ? Self.chunkedHeartbeat : Self.heartbeatFrame], to: key, subscriber)
        }
    }

    /// Ends every stream with a `server_stopping` event (shutdown).
    func closeAll() {
        _ = flush()
        let all = subscribers.values
        subscribers = [:]
        perAddress = [:]
        for subscriber in all { subscriber.sink.end(finalFrame: ControlEvents.stopping) }
    }

    /// Writes `pieces` (framed for the subscriber's stream) unless it fell too far behind.
    private func deliver(_ pieces: [[UInt8]], to key: ObjectIdentifier, _ subscriber: Subscriber) {
        switch subscriber.sink.send(encoded: pieces, finalFrameIfSlow: ControlEvents.dropped) {
        case .written:
            return
        case .gone:
            remove(key)
        case .dropped:
            remove(key)
            droppedCount += 1
            logger.warning(
                "subscriber_dropped",
                metadata: [
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
