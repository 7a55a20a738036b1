/// The runs state machine as a pure value: every run, which one is active per pipeline, the
/// armed stage timeouts and the event log.
///
/// It exists so the whole of API.md's run semantics can be tested on a manual clock: callers pass
/// `now`, nothing here reads a clock, sleeps or does I/O. The server keeps one `RunBook` on the
/// loop, calls `fire(now:)` when its single timer goes off and re-arms it to `nextDeadline`.
/// Each mutating operation appends its events to `log` and also leaves them in `lastEvents`.
///
/// Bounds: at most `maxActiveRuns` active runs (default 100,000) and `timerCapacity` armed
/// timeouts (default 1,000,000); beyond either, `trigger` and `retry` throw `.full`. A pipeline
/// keeps its newest `runsPerPipeline` (100) runs; older finished runs are pruned.
package struct RunBook: Sendable {
    /// What a scheduler entry means: this stage of this run has reached its timeout.
    package struct StageTimeout: Sendable, Hashable {
        package var runID: String
        package var stage: Int
    }

    /// Runs kept per pipeline.
    package static var runsPerPipeline: Int { 100 }

    /// The cap on runs that are queued or running at once.
    package let maxActiveRuns: Int
    /// Every event produced so far (bounded ring).
    package internal(set) var log: EventLog
    /// The events the last mutating call produced, in order (for structured logging).
    package internal(set) var lastEvents: [RunEvent] = []

    var runsByID: [String: Run] = [:]
    /// Per pipeline, its kept run ids, oldest first.
    var history: [String: [String]] = [:]
    /// Per pipeline, its active run (at most one: the newest trigger wins).
    var active: [String: String] = [:]
    var timers: Scheduler<StageTimeout>
    /// The token of every armed stage timeout, so a report or a cancel can disarm it. One flat
    /// table rather than a table per run: an active run costs one entry per running stage.
    var armed: [StageTimeout: TimerToken] = [:]
    /// Source of run ids (see `ChaChaRandom`: one system call per 2,048 ids).
    var random = ChaChaRandom()

    /// An empty book with the given caps.
    package init(maxActiveRuns: Int = 100_000, timerCapacity: Int = Scheduler<StageTimeout>.defaultCapacity,
                 eventCapacity: Int = EventLog.defaultCapacity) {
        self.maxActiveRuns = maxActiveRuns
        timers = Scheduler(capacity: timerCapacity)
        log = EventLog(capacity: eventCapacity)
    }

    /// Runs currently queued or running.
    package var activeCount: Int { active.count }

    /// When the next stage timeout is due; the glue arms its one timer to it.
    package var nextDeadline: Timestamp? { timers.nextDeadline }

    /// The run with this id, if kept.
    package func run(_ id: String) -> Run? { runsByID[id] }

    /// The pipeline's active run id, if any.
    package func activeRun(pipelineID: String) -> String? { active[pipelineID] }

    /// One page of a pipeline's runs, newest first, starting after the run id `cursor`;
    /// `nextCursor` is set when more remain. An unknown cursor yields an empty page.
    package func runs(pipelineID: String, limit: Int = 100, after cursor: String? = nil)
        -> (runs: [Run], nextCursor: String?)
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

    // MARK: Operations

    /// Starts a new run of `plan`, cancelling the pipeline's active run first.
    package mutating func trigger(_ plan: RunPlan, now: Timestamp) throws(RunError) -> Run {
        lastEvents = []
        return try launch(plan, now: now)
    }

    /// Records an executor's report for a running stage and advances the run.
    package mutating func report(runID: String, stage name: String, succeeded: Bool, now: Timestamp)
        throws(RunError) -> Run
    {
        lastEvents = []
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard let index = run.stages.firstIndex(where: { $0.name == name }) else { throw .stageNotFound }
        guard !run.status.isFinished else { throw .conflict("Run is already \(run.status.rawValue).") }
        let status = run.stages[index].status
        guard status == .running else { throw .conflict("Stage is \(status.rawValue), not running.") }
        // Its timeout is due but the loop's timer has not fired yet: `fire` will make it
        // `timed_out`, so the report is as late as if it came after that.
        if let deadline = run.stages[index].deadline, deadline <= now { throw .conflict("Stage timed out.") }
        disarm(runID, stage: index)
        if succeeded {
            setStage(runID, index, .succeeded, event: .stageSucceeded, now: now)
            advance(runID, now: now)
        } else {
            setStage(runID, index, .failed, event: .stageFailed, now: now)
            finish(runID, as: .failed, now: now)
        }
        return runsByID[runID]!
    }

    /// Cancels an active run; a finished run is a conflict.
    package mutating func cancel(runID: String, now: Timestamp) throws(RunError) -> Run {
        lastEvents = []
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard !run.status.isFinished else { throw .conflict("Run is already \(run.status.rawValue).") }
        finish(runID, as: .cancelled, now: now)
        return runsByID[runID]!
    }

    /// Starts a new run from stage 1 with the same snapshot; only failed or cancelled runs qualify.
    package mutating func retry(runID: String, now: Timestamp) throws(RunError) -> Run {
        lastEvents = []
        guard let run = runsByID[runID] else { throw .runNotFound }
        guard run.status == .failed || run.status == .cancelled else {
            throw .conflict("Only failed or cancelled runs can be retried; this one is \(run.status.rawValue).")
        }
        return try launch(run.plan, now: now)
    }

    /// Cancels the pipeline's active run (if any) before the pipeline is deleted; returns it.
    @discardableResult
    package mutating func cancelAll(pipelineID: String, now: Timestamp) -> [Run] {
        lastEvents = []
        guard let runID = active[pipelineID] else { return [] }
        finish(runID, as: .cancelled, now: now)
        return [runsByID[runID]!]
    }

    /// Applies every stage timeout due at or before `now`: the stage becomes `timed_out` and its
    /// run fails, both stamped with the stage's deadline rather than the possibly later `now`
    /// (a late loop or a restart must not move the recorded time). Returns the events produced
    /// (also in `lastEvents`).
    ///
    /// `limit` bounds how many timeouts one call applies (about 3 µs each in a release build), so
    /// the loop can serve requests between batches when many runs time out at once: while more
    /// are due, `nextDeadline` stays at or before `now` and the glue re-arms its timer for 0 ms.
    @discardableResult
    package mutating func fire(now: Timestamp, limit: Int = .max) -> [RunEvent] {
        lastEvents = []
        for timeout in timers.popDue(now: now, limit: limit) {
            guard let stage = runsByID[timeout.runID]?.stages[timeout.stage], stage.status == .running,
                  let deadline = stage.deadline
            else { continue }
            armed[timeout] = nil
            setStage(timeout.runID, timeout.stage, .timedOut, event: .stageTimedOut, now: deadline)
            finish(timeout.runID, as: .failed, now: deadline)
        }
        return lastEvents
    }
}
