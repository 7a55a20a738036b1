/// The runs state machine as a pure value: every run, which one is active per pipeline, the
/// armed stage timeouts and the event log.
///
/// It exists so the whole of the run semantics in docs/API.md can be tested on a manual clock:
/// callers pass `now`, nothing here reads a clock, sleeps or does I/O. The server keeps one
/// `RunBook` on the loop, calls `fire(now:)` when its single timer goes off and re-arms it to
/// `nextDeadline`.
///
/// Every operation first works out what happens (`triggering`, `reporting`, …, as `RunChanges`:
/// the runs written, the runs dropped, the events) without changing the book; `apply(_:)` is the
/// one place the book changes. The mutating forms (`trigger`, `report`, …) do both and return
/// the changes.
///
/// Bounds: at most `maxActiveRuns` active runs (default 100,000) and `timerCapacity` armed
/// timeouts (default 1,000,000); beyond either, `trigger` and `retry` throw `.full`. A pipeline
/// keeps its newest `runsPerPipeline` (100) runs; older finished runs are pruned.
package struct RunBook: Sendable {
    /// What a scheduler entry means: this stage of this run has reached its timeout.
    package struct StageTimeout: Sendable, Hashable {
        package var runID: RunID
        package var stage: Int
    }

    /// Runs kept per pipeline.
    package static var runsPerPipeline: Int { 100 }

    /// The cap on runs that are queued or running at once.
    package let maxActiveRuns: Int
    /// Every event produced so far (bounded ring).
    package internal(set) var log: EventLog

    var runsByID: [RunID: Run] = [:]
    /// Per pipeline, its kept run ids, oldest first.
    var history: [String: [RunID]] = [:]
    /// Per pipeline, its active run (at most one: the newest trigger wins).
    var active: [String: RunID] = [:]
    var timers: Scheduler<StageTimeout>
    /// The token of every armed stage timeout, so a report or a cancel can disarm it. One flat
    /// table rather than a table per run: an active run costs one entry per running stage.
    var armed: [StageTimeout: TimerToken] = [:]
    /// Source of run ids (see `ChaChaRandom`: one system call per 2,048 ids).
    var random = ChaChaRandom()

    /// An empty book with the given caps.
    package init(
        maxActiveRuns: Int = 100_000, timerCapacity: Int = Scheduler<StageTimeout>.defaultCapacity,
        eventCapacity: Int = EventLog.defaultCapacity
    ) {
        self.maxActiveRuns = maxActiveRuns
        timers = Scheduler(capacity: timerCapacity)
        log = EventLog(capacity: eventCapacity)
    }

    /// Runs currently queued or running.
    package var activeCount: Int { active.count }

    /// When the next stage timeout is due; the glue arms its one timer to it.
    package var nextDeadline: Timestamp? { timers.nextDeadline }

    /// The run with this id, if kept.
    package func run(_ id: RunID) -> Run? { runsByID[id] }

    /// The pipeline's active run id, if any.
    package func activeRun(pipelineID: String) -> RunID? { active[pipelineID] }

    /// One page of a pipeline's runs, newest first, starting after the run `cursor`;
    /// `nextCursor` is set when more remain. A cursor that is not one of its runs yields an
    /// empty page.
    package func runs(pipelineID: String, limit: Int = 100, after cursor: RunID? = nil)
        -> (runs: [Run], nextCursor: RunID?)
    {
        let ids = history[pipelineID] ?? []
        var end = ids.count  // exclusive, in oldest-first order
        if let cursor {
            guard let position = ids.lastIndex(of: cursor) else { return ([], nil) }
            end = position
        }
        let first = max(0, end - max(limit, 0))
        let page = ids[first..<end].reversed().compactMap { runsByID[$0] }
        return (page, first > 0 && !page.isEmpty ? page.last?.id : nil)
    }

    // MARK: - Operations: what would happen

    /// A new run of `plan`, started, after cancelling the pipeline's active run.
    package mutating func triggering(_ plan: RunPlan, now: Timestamp) throws(RunError) -> RunChanges {
        let id = RunID.random(using: &random)  // the generator only: not the book
        var draft = RunDraft(self)
        try draft.launch(plan, id: id, now: now)
        return draft.changes
    }

    /// An executor's report for a running stage, and the run advanced.
    package func reporting(runID: RunID, stage name: String, succeeded: Bool, now: Timestamp)
        throws(RunError) -> RunChanges
    {
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard let index = run.stages.firstIndex(where: { $0.name == name }) else { throw .stageNotFound }
        guard !run.status.isFinished else { throw .conflict("Run is already \(run.status.rawValue).") }
        let status = run.stages[index].status
        guard status == .running else { throw .conflict("Stage is \(status.rawValue), not running.") }
        // Its timeout is due but the loop's timer has not fired yet: `fire` will make it
        // `timed_out`, so the report is as late as if it came after that.
        if let deadline = run.stages[index].deadline, deadline <= now { throw .conflict("Stage timed out.") }
        var draft = RunDraft(self)
        draft.markSubject(runID)
        if succeeded {
            draft.setStage(runID, index, .succeeded, event: .stageSucceeded, now: now)
            draft.advance(runID, now: now)
        } else {
            draft.setStage(runID, index, .failed, event: .stageFailed, now: now)
            draft.finish(runID, as: .failed, now: now)
        }
        return draft.changes
    }

    /// An active run cancelled; a finished run is a conflict.
    package func cancelling(runID: RunID, now: Timestamp) throws(RunError) -> RunChanges {
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard !run.status.isFinished else { throw .conflict("Run is already \(run.status.rawValue).") }
        var draft = RunDraft(self)
        draft.markSubject(runID)
        draft.finish(runID, as: .cancelled, now: now)
        return draft.changes
    }

    /// A new run from stage 1 with the same snapshot; only failed or cancelled runs qualify.
    package mutating func retrying(runID: RunID, now: Timestamp) throws(RunError) -> RunChanges {
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard run.status == .failed || run.status == .cancelled else {
            throw .conflict("Only failed or cancelled runs can be retried; this one is \(run.status.rawValue).")
        }
        return try triggering(run.plan, now: now)
    }

    /// A deleted pipeline's runs: its active run cancelled (with the events), then every run of
    /// it dropped, so a service that creates and deletes pipelines all day keeps no histories.
    package func forgetting(pipelineID: String, now: Timestamp) -> RunChanges {
        var draft = RunDraft(self)
        if let runID = active[pipelineID] { draft.finish(runID, as: .cancelled, now: now) }
        draft.forget(pipelineID: pipelineID)
        return draft.changes
    }

    /// Every stage timeout due at or before `now` (at most `limit`): the stage becomes
    /// `timed_out` and its run fails, both stamped with the stage's deadline rather than the
    /// possibly later `now` (a late loop or a restart must not move the recorded time).
    ///
    /// Taking the due entries off the timer queue is the one change made here, not in `apply`:
    /// an entry is consumed whether or not its stage is still running. `limit` bounds how many
    /// timeouts one call handles (about 3 µs each in a release build), so the loop can serve
    /// requests between batches when many runs time out at once: while more are due,
    /// `nextDeadline` stays at or before `now` and the glue re-arms its timer for 0 ms.
    package mutating func firing(now: Timestamp, limit: Int = .max) -> RunChanges {
        let due = timers.popDue(now: now, limit: limit)
        for timeout in due { armed[timeout] = nil }
        // Only now, with the book's own changes done: a draft shares the book's storage, and
        // changing the book while one exists would copy whole tables.
        var draft = RunDraft(self)
        for timeout in due {
            guard let stage = draft.run(timeout.runID)?.stages[timeout.stage], stage.status == .running,
                let deadline = stage.deadline
            else { continue }
            draft.setStage(timeout.runID, timeout.stage, .timedOut, event: .stageTimedOut, now: deadline)
            draft.finish(timeout.runID, as: .failed, now: deadline)
        }
        return draft.changes
    }

    // MARK: - Operations: worked out and applied

    /// `triggering` applied.
    @discardableResult
    package mutating func trigger(_ plan: RunPlan, now: Timestamp) throws(RunError) -> RunChanges {
        try applied(triggering(plan, now: now))
    }

    /// `reporting` applied.
    @discardableResult
    package mutating func report(runID: RunID, stage: String, succeeded: Bool, now: Timestamp)
        throws(RunError) -> RunChanges
    {
        try applied(reporting(runID: runID, stage: stage, succeeded: succeeded, now: now))
    }

    /// `cancelling` applied.
    @discardableResult
    package mutating func cancel(runID: RunID, now: Timestamp) throws(RunError) -> RunChanges {
        try applied(cancelling(runID: runID, now: now))
    }

    /// `retrying` applied.
    @discardableResult
    package mutating func retry(runID: RunID, now: Timestamp) throws(RunError) -> RunChanges {
        try applied(retrying(runID: runID, now: now))
    }

    /// `forgetting` applied.
    @discardableResult
    package mutating func forget(pipelineID: String, now: Timestamp) -> RunChanges {
        applied(forgetting(pipelineID: pipelineID, now: now))
    }

    /// `firing` applied.
    @discardableResult
    package mutating func fire(now: Timestamp, limit: Int = .max) -> RunChanges {
        applied(firing(now: now, limit: limit))
    }

    private mutating func applied(_ changes: RunChanges) -> RunChanges {
        apply(changes)
        return changes
    }
}
