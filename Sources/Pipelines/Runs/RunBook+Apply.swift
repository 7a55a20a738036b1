/// The one place a `RunBook` changes: a run written, a run dropped, an event logged. Everything
/// else a run implies — which run is a pipeline's active one, its place in the history, the
/// armed timeout of each running stage — follows from the run values themselves, so a change
/// cannot say one thing while the book records another. Recovery will replay stored runs
/// through the same path.
extension RunBook {
    /// Applies `changes`: every run written, then every run removed, then the events.
    package mutating func apply(_ changes: RunChanges) {
        for run in changes.runs { put(run) }
        for removed in changes.removedRuns { remove(removed.id) }
        for event in changes.events { log.append(event) }
    }

    private mutating func put(_ run: Run) {
        let previous = runsByID[run.id]
        if previous == nil { history[run.pipelineID, default: []].append(run.id) }
        for index in run.stages.indices {
            let wasRunning = previous?.stages[index].status == .running
            let isRunning = run.stages[index].status == .running
            if wasRunning && !isRunning { disarm(run.id, stage: index) }
            if isRunning && !wasRunning, let due = run.stages[index].deadline { arm(run.id, stage: index, at: due) }
        }
        runsByID[run.id] = run
        if !run.status.isFinished {
            active[run.pipelineID] = run.id
        } else if active[run.pipelineID] == run.id {
            active[run.pipelineID] = nil
        }
    }

    private mutating func remove(_ id: RunID) {
        guard let run = runsByID.removeValue(forKey: id) else { return }
        for index in run.stages.indices where run.stages[index].status == .running { disarm(id, stage: index) }
        if active[run.pipelineID] == id { active[run.pipelineID] = nil }
        if let position = history[run.pipelineID]?.firstIndex(of: id) {
            history[run.pipelineID]!.remove(at: position)  // in place: no copy of the list
            if history[run.pipelineID]!.isEmpty { history[run.pipelineID] = nil }
        }
    }

    /// Capacity was checked when the change was worked out (a trigger reserves its stages'
    /// timers; a sequential stage reuses the one its predecessor freed), so this cannot fail.
    private mutating func arm(_ id: RunID, stage index: Int, at due: Timestamp) {
        let timeout = StageTimeout(runID: id, stage: index)
        do {
            armed[timeout] = try timers.schedule(timeout, at: due)
        } catch {
            preconditionFailure("timer capacity is reserved before a stage starts")
        }
    }

    private mutating func disarm(_ id: RunID, stage index: Int) {
        if let token = armed.removeValue(forKey: StageTimeout(runID: id, stage: index)) { timers.cancel(token) }
    }
}
