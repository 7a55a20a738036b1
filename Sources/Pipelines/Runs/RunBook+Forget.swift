extension RunBook {
    /// Drops every run of a deleted pipeline (after `cancelAll`), so a service that creates and
    /// deletes pipelines all day does not accumulate their histories.
    package mutating func forget(pipelineID: String) {
        if let runID = active[pipelineID], let run = runsByID[runID] {
            for index in run.stages.indices { disarm(runID, stage: index) }
            active[pipelineID] = nil
        }
        for runID in history[pipelineID] ?? [] { runsByID[runID] = nil }
        history[pipelineID] = nil
    }
}
