import Pipelines

/// The embedded store as the domain's `Store`: a change becomes one batch of rows (written in an
/// order the schema accepts), and a snapshot becomes the domain's values again.
extension SQLiteStore: Store {
    /// Counter names in the `counters` table.
    enum Counter {
        static let pipelineSequence = "pipeline_sequence"
        static let pipelineVersion = "pipeline_version"
        static let eventSequence = "event_sequence"
    }

    /// Events kept in the file: as many as a running server keeps for `Last-Event-ID`.
    static var keptEvents: Int { EventLog.defaultCapacity }

    package func persist(_ change: StateChange, completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void) {
        submit(Self.batch(for: change)) { result in
            completion(
                result.map { _ in () }.mapError { StoreFailure(isRetryable: $0.isRetryable, detail: $0.message) })
        }
    }

    package func recover(recentEvents: Int) throws(StoreFailure) -> StoredState {
        let snapshot: StoreSnapshot
        do {
            snapshot = try load(recentEvents: recentEvents)
        } catch {
            throw StoreFailure(isRetryable: error.isRetryable, detail: error.message)
        }
        return try Self.state(from: snapshot, directory: directory)
    }

    /// The rows of one change. Pipelines stored come first (a run needs its pipeline), then runs
    /// written and dropped, then pipelines removed (which takes their remaining runs along), then
    /// the events, the pruning of events no server keeps any more, and the counters.
    static func batch(for change: StateChange) -> StoreBatch {
        var batch = StoreBatch()
        for case .put(let entry) in change.pipelines {
            batch.putPipeline(
                StoredPipeline(
                    id: entry.id.description, sequence: Int64(entry.sequence), version: Int64(entry.version),
                    body: entry.body))
        }
        for run in change.runs.runs {
            batch.putRun(
                StoredRun(
                    id: run.id.description, pipelineID: run.pipelineID, sequence: Int64(run.sequence),
                    body: run.record))
        }
        for removed in change.runs.removedRuns { batch.removeRun(sequence: Int64(removed.sequence)) }
        for case .remove(let entry) in change.pipelines { batch.removePipeline(sequence: Int64(entry.sequence)) }
        let events = change.events
        if let last = events.last {
            batch.appendEvents(
                events.map { StoredEvent(sequence: Int64($0.seq), pipelineID: $0.pipelineID, body: $0.record) })
            let prunable = Int64(last.seq) - Int64(keptEvents)
            if prunable > 0 { batch.pruneEvents(through: prunable) }
        }
        let counters = change.counters
        batch.setCounter(Counter.pipelineSequence, to: Int64(counters.pipelineSequence))
        batch.setCounter(Counter.pipelineVersion, to: Int64(counters.pipelineVersion))
        batch.setCounter(Counter.eventSequence, to: Int64(counters.eventSequence))
        return batch
    }

    /// The domain's values of a snapshot; a row that does not decode is a damaged store, refused
    /// with the row named rather than served wrong.
    static func state(from snapshot: StoreSnapshot, directory: String) throws(StoreFailure) -> StoredState {
        func damaged(_ what: String) -> StoreFailure {
            StoreFailure(isRetryable: false, detail: "the store in \(directory) holds \(what) that cannot be read")
        }
        var state = StoredState()
        state.pipelines.reserveCapacity(snapshot.pipelines.count)
        for row in snapshot.pipelines {
            guard row.sequence > 0, row.version > 0,
                let entry = PipelineEntry(
                    id: row.id, sequence: UInt64(row.sequence), version: UInt64(row.version), body: row.body)
            else { throw damaged("pipeline \(row.id)") }
            state.pipelines.append(entry)
        }
        state.runs.reserveCapacity(snapshot.runs.count)
        for row in snapshot.runs {
            guard let run = Run(record: row.body), run.id.description == row.id, Int64(run.sequence) == row.sequence
            else { throw damaged("run \(row.id)") }
            state.runs.append(run)
        }
        for row in snapshot.events {
            guard let event = RunEvent(record: row.body), event.seq == UInt64(row.sequence) else {
                throw damaged("event \(row.sequence)")
            }
            state.events.append(event)
        }
        func counter(_ name: String) -> UInt64 { UInt64(max(0, snapshot.counters[name] ?? 0)) }
        state.counters = StateChange.Counters(
            pipelineSequence: counter(Counter.pipelineSequence), pipelineVersion: counter(Counter.pipelineVersion),
            eventSequence: counter(Counter.eventSequence))
        return state
    }
}
