/// One transition of a run or stage, as published on `GET /v1/events` and in structured logs.
package struct RunEvent: Sendable, Hashable {
    /// The event types API.md lists; raw values are the wire names.
    package enum Kind: String, Sendable, Hashable {
        case runQueued = "run_queued"
        case runStarted = "run_started"
        case stageStarted = "stage_started"
        case stageSucceeded = "stage_succeeded"
        case stageFailed = "stage_failed"
        case stageTimedOut = "stage_timed_out"
        case stageSkipped = "stage_skipped"
        case stageCancelled = "stage_cancelled"
        case runSucceeded = "run_succeeded"
        case runFailed = "run_failed"
        case runCancelled = "run_cancelled"
    }

    /// Global sequence number (the SSE `id:`); strictly increasing from 1.
    package var seq: UInt64
    package var kind: Kind
    package var pipelineID: String
    package var runID: RunID
    /// The stage's name for `stage_*` events, nil for `run_*` events.
    package var stage: String?
    package var at: Timestamp

    /// The wire name of `kind` (the SSE `event:` line).
    package var type: String { kind.rawValue }
}

/// The bounded history of events: a ring of the newest `capacity` events, so subscribers can
/// resume with `Last-Event-ID` while memory stays fixed however long the service runs.
///
/// Capacity: 10,000 events by default (a few MB at most).
package struct EventLog: Sendable {
    /// The default number of events kept.
    package static var defaultCapacity: Int { 10_000 }

    /// The most events kept; older ones are overwritten.
    package let capacity: Int
    private(set) var ring: [RunEvent] = []
    private var start = 0
    /// The sequence number the next appended event receives.
    package internal(set) var nextSeq: UInt64 = 1

    package init(capacity: Int = EventLog.defaultCapacity) {
        precondition(capacity > 0, "event log capacity must be positive")
        self.capacity = capacity
    }

    /// The newest sequence number handed out (0 before the first event).
    package var lastSeq: UInt64 { nextSeq - 1 }

    /// The oldest sequence number still held, or `nextSeq` when the ring is empty.
    package var oldestSeq: UInt64 { nextSeq - UInt64(ring.count) }

    /// Stamps the event with the next sequence number, stores it (evicting the oldest when full)
    /// and returns it as stored.
    @discardableResult
    package mutating func append(
        _ kind: RunEvent.Kind, pipelineID: String, runID: RunID, stage: String? = nil, at: Timestamp
    ) -> RunEvent {
        let event = RunEvent(seq: nextSeq, kind: kind, pipelineID: pipelineID, runID: runID, stage: stage, at: at)
        append(event)
        return event
    }

    /// Stores an event numbered by whoever worked it out (`RunDraft` numbers from `nextSeq`).
    mutating func append(_ event: RunEvent) {
        precondition(event.seq == nextSeq, "events are logged in sequence")
        nextSeq += 1
        if ring.count < capacity {
            ring.append(event)
        } else {
            ring[start] = event
            start = (start + 1) % capacity
        }
    }

    /// Events with `seq > after`, oldest first, optionally only one pipeline's.
    /// `missed` is true when some of those events were already evicted, so a resuming subscriber
    /// knows it has a gap. An `after` beyond `lastSeq` can only come from an earlier life of the
    /// server (sequence numbers restart with the process): everything held is replayed and
    /// `missed` is set, rather than silently skipping the new life's first `after` events.
    package func events(after requested: UInt64, pipelineID: String? = nil) -> (events: [RunEvent], missed: Bool) {
        let oldest = oldestSeq
        let stale = requested > lastSeq
        let after = stale ? 0 : requested
        let missed = stale || (after < lastSeq && after + 1 < oldest)
        let first = max(after + 1, oldest)
        guard first < nextSeq else { return ([], missed) }
        var result: [RunEvent] = []
        result.reserveCapacity(pipelineID == nil ? Int(nextSeq - first) : 0)
        for offset in Int(first - oldest)..<ring.count {
            let event = ring[(start + offset) % ring.count]
            if pipelineID == nil || event.pipelineID == pipelineID { result.append(event) }
        }
        return (result, missed)
    }
}
