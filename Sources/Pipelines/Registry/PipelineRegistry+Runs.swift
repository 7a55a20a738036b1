/// Runs of stored pipelines. Each call is one isolated step of the registry, so a trigger
/// racing a delete either runs before it (and is cancelled by it) or sees no pipeline.
/// Every write returns the run it was about and the change it made (`Written`), whose events
/// the server publishes.
extension PipelineRegistry {
    /// Why a run request did not happen; the server maps each case to a status.
    package enum RunRequestError: Error, Sendable, Equatable {
        case pipelineNotFound
        case run(RunError)
        /// A runs cursor that names none of the pipeline's kept runs (→ 400).
        case invalidCursor

        package var detail: String {
            switch self {
            case .pipelineNotFound: RegistryError.notFound.detail
            case .invalidCursor: RegistryError.invalidCursor.detail
            case .run(.runNotFound): "Run not found."
            case .run(.stageNotFound): "Stage not found."
            case .run(.conflict(let reason)): reason
            case .run(.full): "Too many active runs; try again later."
            }
        }
    }

    /// Snapshots the pipeline's configuration into a new run and starts it (cancelling the
    /// pipeline's active run first; the change names it in `runs.cancelledRunID`).
    package func trigger(pipelineID: String, now: Timestamp) throws(RunRequestError) -> Written<Run> {
        guard let entry = entry(id: pipelineID) else { throw .pipelineNotFound }
        let plan = entry.runPlan
        return try write { (book) throws(RunError) in try book.triggering(plan, now: now) }
    }

    package func run(pipelineID: String, runID: RunID) throws(RunRequestError) -> Run {
        try ownedRun(pipelineID: pipelineID, runID: runID)
    }

    /// A page of the pipeline's runs, newest first, each encoded once, ending early (with a
    /// `nextCursor`) before the run that would take it past `byteBudget`. A runs cursor is a run
    /// id as text, issued and read back here like the pipelines cursor; text that names none of
    /// the pipeline's kept runs is refused like an unknown pipelines cursor.
    package func runs(
        pipelineID: String, limit: Int, cursor: String?, byteBudget: Int = pageByteBudget
    ) throws(RunRequestError) -> RunPage {
        guard entry(id: pipelineID) != nil else { throw .pipelineNotFound }
        var after: RunID?
        if let cursor {
            guard let runID = RunID(cursor), runBook.run(runID)?.pipelineID == pipelineID else { throw .invalidCursor }
            after = runID
        }
        let page = runBook.runs(pipelineID: pipelineID, limit: limit, after: after)
        var bodies: [[UInt8]] = []
        bodies.reserveCapacity(page.runs.count)
        var bytes = 0
        for run in page.runs {
            let body = run.json
            if !bodies.isEmpty, bytes + body.count > byteBudget {
                return RunPage(bodies: bodies, nextCursor: page.runs[bodies.count - 1].id.description)
            }
            bytes += body.count
            bodies.append(body)
        }
        return RunPage(bodies: bodies, nextCursor: page.nextCursor?.description)
    }

    package func cancel(pipelineID: String, runID: RunID, now: Timestamp) throws(RunRequestError) -> Written<Run> {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try write { (book) throws(RunError) in try book.cancelling(runID: runID, now: now) }
    }

    package func retry(pipelineID: String, runID: RunID, now: Timestamp) throws(RunRequestError) -> Written<Run> {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try write { (book) throws(RunError) in try book.retrying(runID: runID, now: now) }
    }

    package func report(
        pipelineID: String, runID: RunID, stage: String, succeeded: Bool, now: Timestamp
    ) throws(RunRequestError) -> Written<Run> {
        _ = try ownedRun(pipelineID: pipelineID, runID: runID)
        return try write { (book) throws(RunError) in
            try book.reporting(runID: runID, stage: stage, succeeded: succeeded, now: now)
        }
    }

    /// Applies up to `limit` stage timeouts due by `now`.
    package func fireTimeouts(now: Timestamp, limit: Int) -> StateChange {
        var change = StateChange()
        change.runs = runBook.firing(now: now, limit: limit)
        return apply(change)
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

    private func ownedRun(pipelineID: String, runID: RunID) throws(RunRequestError) -> Run {
        guard entry(id: pipelineID) != nil else { throw .pipelineNotFound }
        guard let run = runBook.run(runID), run.pipelineID == pipelineID else { throw .run(.runNotFound) }
        return run
    }

    /// Works out a run operation on the book, applies it, and answers with its subject run.
    private func write(_ operation: (inout RunBook) throws(RunError) -> RunChanges) throws(RunRequestError) -> Written<
        Run
    > {
        do throws(RunError) {
            var change = StateChange()
            change.runs = try operation(&runBook)
            let applied = apply(change)
            return Written(value: applied.runs.run!, change: applied)
        } catch {
            throw .run(error)
        }
    }
}
