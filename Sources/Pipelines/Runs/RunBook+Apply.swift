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

    // Each table is looked up once per change: `updateValue` answers what it replaced, and a
    // found index is reused to change or remove the entry (pipeline ids are 36-byte keys).
    private mutating func put(_ run: Run) {
        let previous = runsByID.updateValue(run, forKey: run.id)
        if previous == nil { history[run.pipelineID, default: []].append(run.id) }
        for index in run.stages.indices {
            let wasRunning = previous?.stages[index].status == .running
            let isRunning = run.stages[index].status == .running
            if wasRunning && !isRunning { disarm(run.id, stage: index) }
            if isRunning && !wasRunning, let due = run.stages[index].deadline { arm(run.id, stage: index, at: due) }
        }
        if !run.status.isFinished {
            active[run.pipelineID] = run.id
        } else {
            clearActive(run.id, of: run.pipelineID)
        }
    }

    private mutating func remove(_ id: RunID) {
        guard let run = runsByID.removeValue(forKey: id) else { return }
        for index in run.stages.indices where run.stages[index].status == .running { disarm(id, stage: index) }
        clearActive(id, of: run.pipelineID)
        guard let slot = history.index(forKey: run.pipelineID),
            let position = history.values[slot].firstIndex(of: id)
        else { return }
        history.values[slot].remove(at: position)  // in place: no copy of the list
        if history.values[slot].isEmpty { history.remove(at: slot) }
    }

    /// Forgets that `id` is the pipeline's active run, if it is.
    private mutating func clearActive(_ id: RunID, of pipelineID: String) {
        if let slot = active.index(forKey: pipelineID), active.values[slot] == id { active.remove(at: slot) }
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
