/// One run operation being worked out: the transitions of the run lifecycle, applied to copies of
/// the runs they touch. The book is only read; what the draft decides comes out as `RunChanges`,
/// for `RunBook.apply(_:)`.
struct RunDraft {
    private let book: RunBook
    private(set) var changes = RunChanges()
    /// Where each touched run sits in `changes.runs`, once there are more than `scanLimit`.
    /// A trigger touches two runs and a report one, which a scan finds sooner than a hash; a
    /// batch of timeouts can touch a thousand.
    private var positions: [RunID: Int] = [:]
    private static let scanLimit = 8
    /// Runs this draft added, with their pipelines, in order (a trigger or retry adds one).
    private var added: [(pipelineID: String, id: RunID)] = []
    private var nextSeq: UInt64

    init(_ book: RunBook) {
        self.book = book
        nextSeq = book.log.nextSeq
    }

    /// The run as it stands in this draft.
    func run(_ id: RunID) -> Run? {
        position(of: id).map { changes.runs[$0] } ?? book.runsByID[id]
    }

    /// The pipeline's active run id as it stands in this draft: a run the draft touched that is
    /// still going, else the book's active run unless the draft has finished it. (A pipeline has
    /// at most one unfinished run: a new one is started only after its predecessor finished.)
    func activeRun(_ pipelineID: String) -> RunID? {
        if let going = changes.runs.last(where: { $0.pipelineID == pipelineID && !$0.status.isFinished }) {
            return going.id
        }
        guard let id = book.active[pipelineID], position(of: id) == nil else { return nil }
        return id
    }

    mutating func markSubject(_ id: RunID) { changes.subjectID = id }

    // MARK: - Transitions

    /// Checks the caps, cancels the pipeline's active run and starts a fresh run of `plan`.
    mutating func launch(_ plan: RunPlan, id: RunID, now: Timestamp) throws(RunError) {
        let previous = activeRun(plan.pipelineID)
        let freedTimers = previous.map { runningStageCount($0) } ?? 0
        let needed = plan.parallel ? plan.stages.count : min(plan.stages.count, 1)
        guard book.active.count - (previous == nil ? 0 : 1) < book.maxActiveRuns,
            book.timers.freeCapacity + freedTimers >= needed
        else { throw .full }
        if let previous {
            finish(previous, as: .cancelled, now: now)
            changes.cancelledRunID = previous
        }
        start(Run(id: id, plan: plan, createdAt: now), now: now)
        markSubject(id)
    }

    /// Registers a fresh run, starts it (or succeeds it at once when it has no stages) and prunes.
    mutating func start(_ fresh: Run, now: Timestamp) {
        let id = fresh.id
        var fresh = fresh
        fresh.sequence = nextSeq  // the number `run_queued` gets, just below
        write(fresh)
        added.append((fresh.pipelineID, id))
        record(.runQueued, id, now: now)
        update(id) { $0.status = .running }
        record(.runStarted, id, now: now)
        if fresh.stages.isEmpty {
            finish(id, as: .succeeded, now: now)
        } else if fresh.parallel {
            for index in fresh.stages.indices { startStage(id, index, now: now) }
        } else {
            startStage(id, 0, now: now)
        }
        prune(fresh.pipelineID)
    }

    /// After a stage succeeded: start the next stage (sequential) or succeed the run when all did.
    mutating func advance(_ id: RunID, now: Timestamp) {
        let run = run(id)!
        if let next = run.stages.firstIndex(where: { $0.status == .pending }), !run.parallel {
            startStage(id, next, now: now)
        } else if run.stages.allSatisfy({ $0.status == .succeeded }) {
            finish(id, as: .succeeded, now: now)
        }
    }

    /// Makes a stage `running` and publishes `stage_started`; applying the change arms its
    /// timeout at exactly `now + timeout` seconds.
    mutating func startStage(_ id: RunID, _ index: Int, now: Timestamp) {
        update(id) {
            $0.stages[index].status = .running
            $0.stages[index].startedAt = now
        }
        record(.stageStarted, id, stage: index, now: now)
    }

    /// Sets a stage's final status and publishes the matching event.
    mutating func setStage(_ id: RunID, _ index: Int, _ status: StageStatus, event: RunEvent.Kind, now: Timestamp) {
        update(id) {
            $0.stages[index].status = status
            $0.stages[index].finishedAt = now
        }
        record(event, id, stage: index, now: now)
    }

    /// Ends an active run. Failed: pending stages → `skipped`, running → `cancelled`.
    /// Cancelled: pending and running → `cancelled`.
    mutating func finish(_ id: RunID, as status: RunStatus, now: Timestamp) {
        let run = run(id)!
        for index in run.stages.indices {
            switch run.stages[index].status {
            case .running: setStage(id, index, .cancelled, event: .stageCancelled, now: now)
            case .pending where status == .failed: setStage(id, index, .skipped, event: .stageSkipped, now: now)
            case .pending: setStage(id, index, .cancelled, event: .stageCancelled, now: now)
            default: break
            }
        }
        update(id) {
            $0.status = status
            $0.finishedAt = now
        }
        let kind: RunEvent.Kind =
            switch status {
            case .succeeded: .runSucceeded
            case .failed: .runFailed
            default: .runCancelled
            }
        record(kind, id, now: now)
    }

    /// Drops every run of a pipeline (its active run must be finished first).
    mutating func forget(pipelineID: String) {
        for id in history(pipelineID) { drop(id) }
    }

    /// How many of the run's stages are running, i.e. hold an armed timeout.
    func runningStageCount(_ id: RunID) -> Int {
        run(id)?.stages.reduce(0) { $0 + ($1.status == .running ? 1 : 0) } ?? 0
    }

    // MARK: - Internals

    /// Keeps only the pipeline's newest `runsPerPipeline` runs, dropping the oldest finished ones.
    /// Called after each new run, so at most one run is over the limit; it is almost always the
    /// oldest, which makes this O(1) in practice.
    private mutating func prune(_ pipelineID: String) {
        var ids = history(pipelineID)
        while ids.count > RunBook.runsPerPipeline,
            let index = ids.firstIndex(where: { run($0)?.status.isFinished ?? true })
        {
            drop(ids.remove(at: index))
        }
    }

    /// Records a run as removed, with its sequence for the store (a run the draft cannot find
    /// has no stored row either: sequence 0 names none).
    private mutating func drop(_ id: RunID) {
        changes.removedRuns.append(RemovedRun(id: id, sequence: run(id)?.sequence ?? 0))
    }

    /// The pipeline's kept runs, oldest first, as this draft sees them.
    private func history(_ pipelineID: String) -> [RunID] {
        let removed = changes.removedRuns
        let ids = (book.history[pipelineID] ?? []) + added.filter { $0.pipelineID == pipelineID }.map(\.id)
        return removed.isEmpty ? ids : ids.filter { id in !removed.contains { $0.id == id } }
    }

    /// Where the run sits in `changes.runs`, if the draft touched it.
    private func position(of id: RunID) -> Int? {
        guard changes.runs.count > Self.scanLimit else { return changes.runs.firstIndex { $0.id == id } }
        return positions[id]
    }

    /// Adds a run the draft has not touched yet; returns its position.
    private mutating func append(_ run: Run) -> Int {
        changes.runs.append(run)
        let count = changes.runs.count
        if count == Self.scanLimit + 1 {
            for (index, run) in changes.runs.enumerated() { positions[run.id] = index }
        } else if count > Self.scanLimit {
            positions[run.id] = count - 1
        }
        return count - 1
    }

    private mutating func write(_ run: Run) {
        if let index = position(of: run.id) {
            changes.runs[index] = run
        } else {
            _ = append(run)
        }
    }

    /// Changes the run in the draft, copying it from the book the first time (one lookup when it
    /// is already in the draft, which is how a trigger's many updates find it).
    private mutating func update(_ id: RunID, _ body: (inout Run) -> Void) {
        let index = position(of: id) ?? append(book.runsByID[id]!)
        body(&changes.runs[index])
    }

    /// Appends an event for the run (and stage), numbered after the book's last event. Every
    /// caller has just changed the run, so it is read where the draft holds it, not copied.
    private mutating func record(_ kind: RunEvent.Kind, _ id: RunID, stage index: Int? = nil, now: Timestamp) {
        let position = position(of: id)!
        changes.events.append(
            RunEvent(
                seq: nextSeq, kind: kind, pipelineID: changes.runs[position].pipelineID, runID: id,
                stage: index.map { changes.runs[position].stages[$0].name }, at: now))
        nextSeq += 1
    }
}
