/// The transitions shared by the public operations: starting runs and stages, arming and
/// disarming timeouts, finishing runs and pruning history.
extension RunBook {
    /// Checks the caps, cancels the pipeline's active run and starts a fresh run of `plan`.
    mutating func launch(_ plan: RunPlan, now: Timestamp) throws(RunError) -> Run {
        let previous = active[plan.pipelineID]
        let freedTimers = previous.map { runningStageCount($0) } ?? 0
        let needed = plan.parallel ? plan.stages.count : min(plan.stages.count, 1)
        guard active.count - (previous == nil ? 0 : 1) < maxActiveRuns,
              timers.freeCapacity + freedTimers >= needed
        else { throw .full }
        if let previous { finish(previous, as: .cancelled, now: now) }
        let id = PipelineID.random(using: &random).description
        return start(Run(id: id, plan: plan, createdAt: now), now: now)
    }

    /// How many of the run's stages are running, i.e. hold an armed timeout.
    func runningStageCount(_ id: String) -> Int {
        runsByID[id]?.stages.reduce(0) { $0 + ($1.status == .running ? 1 : 0) } ?? 0
    }

    /// Registers a fresh run, starts it (or succeeds it at once when it has no stages) and prunes.
    mutating func start(_ fresh: Run, now: Timestamp) -> Run {
        let id = fresh.id
        runsByID[id] = fresh
        history[fresh.pipelineID, default: []].append(id)
        active[fresh.pipelineID] = id
        record(.runQueued, id, now: now)
        runsByID[id]!.status = .running
        record(.runStarted, id, now: now)
        if fresh.stages.isEmpty {
            finish(id, as: .succeeded, now: now)
        } else if fresh.parallel {
            for index in fresh.stages.indices { startStage(id, index, now: now) }
        } else {
            startStage(id, 0, now: now)
        }
        prune(fresh.pipelineID)
        return runsByID[id]!
    }

    /// After a stage succeeded: start the next stage (sequential) or succeed the run when all did.
    mutating func advance(_ id: String, now: Timestamp) {
        let run = runsByID[id]!
        if let next = run.stages.firstIndex(where: { $0.status == .pending }), !run.parallel {
            startStage(id, next, now: now)
        } else if run.stages.allSatisfy({ $0.status == .succeeded }) {
            finish(id, as: .succeeded, now: now)
        }
    }

    /// Makes a stage `running`, publishes `stage_started` and arms its timeout at exactly
    /// `now + timeout` seconds. Capacity was checked by the caller (trigger) or freed by the
    /// previous stage's disarm (sequential), so scheduling cannot fail here.
    mutating func startStage(_ id: String, _ index: Int, now: Timestamp) {
        runsByID[id]!.stages[index].status = .running
        runsByID[id]!.stages[index].startedAt = now
        record(.stageStarted, id, stage: index, now: now)
        let due = runsByID[id]!.stages[index].deadline!
        do {
            let timeout = StageTimeout(runID: id, stage: index)
            armed[timeout] = try timers.schedule(timeout, at: due)
        } catch {
            preconditionFailure("timer capacity is reserved before a stage starts")
        }
    }

    /// Cancels a stage's armed timeout, if any.
    mutating func disarm(_ id: String, stage index: Int) {
        if let token = armed.removeValue(forKey: StageTimeout(runID: id, stage: index)) { timers.cancel(token) }
    }

    /// Sets a stage's final status and publishes the matching event.
    mutating func setStage(_ id: String, _ index: Int, _ status: StageStatus, event: RunEvent.Kind,
                           now: Timestamp) {
        runsByID[id]!.stages[index].status = status
        runsByID[id]!.stages[index].finishedAt = now
        record(event, id, stage: index, now: now)
    }

    /// Ends an active run. Failed: pending stages → `skipped`, running → `cancelled`.
    /// Cancelled: pending and running → `cancelled`. Disarms every timeout of the run.
    mutating func finish(_ id: String, as status: RunStatus, now: Timestamp) {
        let run = runsByID[id]!
        for index in run.stages.indices {
            switch run.stages[index].status {
            case .running:
                disarm(id, stage: index)
                setStage(id, index, .cancelled, event: .stageCancelled, now: now)
            case .pending where status == .failed:
                setStage(id, index, .skipped, event: .stageSkipped, now: now)
            case .pending:
                setStage(id, index, .cancelled, event: .stageCancelled, now: now)
            default:
                break
            }
        }
        runsByID[id]!.status = status
        runsByID[id]!.finishedAt = now
        if active[run.pipelineID] == id { active[run.pipelineID] = nil }
        let kind: RunEvent.Kind = switch status {
        case .succeeded: .runSucceeded
        case .failed: .runFailed
        default: .runCancelled
        }
        record(kind, id, now: now)
    }

    /// Keeps only the pipeline's newest `runsPerPipeline` runs, dropping the oldest finished ones.
    /// Called after each new run, so at most one run is over the limit; it is almost always the
    /// oldest, which makes this O(1) in practice.
    mutating func prune(_ pipelineID: String) {
        while let index = oldestPrunable(pipelineID) {
            runsByID[history[pipelineID]!.remove(at: index)] = nil  // in place: no copy of the list
        }
    }

    private func oldestPrunable(_ pipelineID: String) -> Int? {
        guard let ids = history[pipelineID], ids.count > Self.runsPerPipeline else { return nil }
        return ids.firstIndex { runsByID[$0]?.status.isFinished ?? true }
    }

    /// Appends an event for the run (and stage) to the log and to `lastEvents`.
    mutating func record(_ kind: RunEvent.Kind, _ id: String, stage index: Int? = nil, now: Timestamp) {
        let run = runsByID[id]!
        let event = log.append(kind, pipelineID: run.pipelineID, runID: id,
                               stage: index.map { run.stages[$0].name }, at: now)
        lastEvents.append(event)
    }
}
