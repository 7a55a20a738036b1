/// Runs of stored pipelines. Each call is one isolated step of the registry, so a trigger
/// racing a delete either runs before it (and is cancelled by it) or sees no pipeline.
/// Every mutating call returns the events it produced, for the server to publish.
extension PipelineRegistry {
    /// Why a run request did not happen; the server maps each case to a status.
    package enum RunRequestError: Error, Sendable, Equatable {
        case pipelineNotFound
        case run(RunError)

        package var detail: String {
            switch self {
            case .pipelineNotFound: RegistryError.notFound.detail
            case .run(.runNotFound): "Run not found."
            case .run(.stageNotFound): "Stage not found."
            case .run(.conflict(let reason)): reason
            case .run(.full): "Too many active runs; try again later."
            }
        }
    }

    /// A run after an operation, with the events the operation produced.
    package struct RunChange: Sendable {
        package var run: Run
        package var events: [RunEvent]

        /// The other run this operation cancelled (a trigger or retry cancels the pipeline's
        /// active run), so the answer can say so; nil when it cancelled none.
        package var cancelledRunID: String? {
            events.first { $0.kind == .runCancelled && $0.runID != run.id }?.runID
        }
    }

    /// Snapshots the pipeline's configuration into a new run and starts it (cancelling the
    /// pipeline's active run first).
    package func trigger(pipelineID: String, now: Timestamp) throws(RunRequestError) -> RunChange {
        guard let entry = entry(id: pipelineID) else { throw .pipelineNotFound }
        let plan = entry.runPlan
        return try change { (book) throws(RunError) in try book.trigger(plan, now: now) }
    }

    package func run(pipelineID: String, runID: String) throws(RunRequestError) -> Run {
        try ownedRun(pipelineID: pipelineID, runID: runID)
    }

    /// A page of the pipeline's runs, newest first.
    package func runs(pipelineID: String, limit: Int, cursor: String?) throws(RunRequestError) -> (runs: [Run], nextCursor: String?) {
        guard entry(id: pipelineID) != nil else { throw .pipelineNotFound }
        if let cursor, runBook.run(cursor)?.pipelineID != pipelineID { return ([], nil) }
        return runBook.runs(pipelineID: pipelineID, limit: limit, after: cursor)
    }

    package func cancel(pipelineID: String, runID: String, now: Timestamp) throws(RunRequestError) -> RunChange {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try change { (book) throws(RunError) in try book.cancel(runID: runID, now: now) }
    }

    package func retry(pipelineID: String, runID: String, now: Timestamp) throws(RunRequestError) -> RunChange {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try change { (book) throws(RunError) in try book.retry(runID: runID, now: now) }
    }

    package func report(
        pipelineID: String, runID: String, stage: String, succeeded: Bool, now: Timestamp
    ) throws(RunRequestError) -> RunChange {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try change { (book) throws(RunError) in
            try book.report(runID: runID, stage: stage, succeeded: succeeded, now: now)
        }
    }

    /// Deletes a pipeline after cancelling its active run, in one step; returns the run events.
    package func deletePipeline(id: String, ifMatch: String?, now: Timestamp) throws(RegistryError) -> [RunEvent] {
        let removed = try delete(id: id, ifMatch: ifMatch)
        let pipelineID = removed.id.description
        runBook.cancelAll(pipelineID: pipelineID, now: now)
        let events = runBook.lastEvents
        runBook.forget(pipelineID: pipelineID)
        return events
    }

    /// Applies up to `limit` stage timeouts due by `now`; returns the events.
    package func fireTimeouts(now: Timestamp, limit: Int) -> [RunEvent] {
        runBook.fire(now: now, limit: limit)
    }

    /// When the next stage timeout is due; the server arms its one timer to it.
    package var nextRunDeadline: Timestamp? { runBook.nextDeadline }

    /// Replays events after `seq` (optionally of one pipeline); `missed` when `seq` left the ring.
    package func events(after seq: UInt64, pipelineID: String?) -> (events: [RunEvent], missed: Bool) {
        runBook.log.events(after: seq, pipelineID: pipelineID)
    }

    /// The newest event's sequence number (0 before any).
    package var lastEventSeq: UInt64 { runBook.log.lastSeq }

    /// The oldest event still kept for replay (with none kept, the number the next event gets),
    /// which `events_lost` tells a resuming subscriber.
    package var oldestEventSeq: UInt64 { runBook.log.oldestSeq }

    private func ownedRun(pipelineID: String, runID: String) throws(RunRequestError) -> Run {
        guard entry(id: pipelineID) != nil else { throw .pipelineNotFound }
        guard let run = runBook.run(runID), run.pipelineID == pipelineID else { throw .run(.runNotFound) }
        return run
    }

    private func change(_ operation: (inout RunBook) throws(RunError) -> Run) throws(RunRequestError) -> RunChange {
        do throws(RunError) {
            let run = try operation(&runBook)
            return RunChange(run: run, events: runBook.lastEvents)
        } catch {
            throw .run(error)
        }
    }
}
