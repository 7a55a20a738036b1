/// What a trigger snapshots from a pipeline document: everything a run needs, nothing more, so a
/// later edit of the pipeline never changes a run in flight and a retry reuses the same snapshot.
package struct RunPlan: Sendable, Hashable {
    /// One stage of the snapshot.
    package struct Stage: Sendable, Hashable {
        /// The stage's name, unique within the pipeline; executors report results by it.
        package var name: String
        package var type: StageType
        /// Seconds a started stage may run before it becomes `timed_out`.
        package var timeout: Int

        package init(name: String, type: StageType, timeout: Int) {
            self.name = name
            self.type = type
            self.timeout = timeout
        }
    }

    package var pipelineID: String
    /// True: all stages start at trigger time; false: one after another.
    package var parallel: Bool
    package var stages: [Stage]

    package init(pipelineID: String, parallel: Bool, stages: [Stage]) {
        self.pipelineID = pipelineID
        self.parallel = parallel
        self.stages = stages
    }
}

/// A run's lifecycle, as API.md names it: `queued` → `running` → one of the finished states.
package enum RunStatus: String, Sendable, Hashable {
    case queued, running, succeeded, failed, cancelled

    /// Finished runs accept no reports and cannot be cancelled; only these can be pruned.
    package var isFinished: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}

/// A stage's lifecycle within a run; the raw values are the API's spellings.
package enum StageStatus: String, Sendable, Hashable {
    case pending, running, succeeded, failed
    case timedOut = "timed_out"
    case skipped, cancelled
}

/// One stage of a run as clients see it.
package struct StageRun: Sendable, Hashable {
    package var name: String
    package var type: StageType
    package var status: StageStatus
    /// Seconds, copied from the plan.
    package var timeout: Int
    package var startedAt: Timestamp?
    package var finishedAt: Timestamp?

    /// When a started stage times out: exactly `timeout` seconds after it started.
    package var deadline: Timestamp? {
        startedAt?.adding(milliseconds: Int64(timeout) * 1000)
    }
}

/// One execution of a pipeline's snapshot; the unit that `/runs` endpoints return.
package struct Run: Sendable, Hashable {
    package var id: RunID
    package var pipelineID: String
    package var status: RunStatus
    package var parallel: Bool
    package var createdAt: Timestamp
    package var finishedAt: Timestamp?
    package var stages: [StageRun]
    /// Where the run stands among all runs ever created: the sequence number of its `run_queued`
    /// event. Not part of the API; a store keeps it so a pipeline's history comes back in order.
    package internal(set) var sequence: UInt64 = 0

    /// A new `queued` run with every stage `pending`.
    package init(id: RunID, plan: RunPlan, createdAt: Timestamp) {
        self.id = id
        pipelineID = plan.pipelineID
        status = .queued
        parallel = plan.parallel
        self.createdAt = createdAt
        finishedAt = nil
        stages = plan.stages.map {
            StageRun(
                name: $0.name, type: $0.type, status: .pending, timeout: $0.timeout,
                startedAt: nil, finishedAt: nil)
        }
    }

    /// The snapshot this run was made from; `retry` starts a new run from it.
    package var plan: RunPlan {
        RunPlan(
            pipelineID: pipelineID, parallel: parallel,
            stages: stages.map { RunPlan.Stage(name: $0.name, type: $0.type, timeout: $0.timeout) })
    }
}

/// Why a run operation was refused; the server maps each case to one HTTP status.
package enum RunError: Error, Sendable, Equatable {
    /// No run with that id (404).
    case runNotFound
    /// The run has no stage with that name (404 `Stage not found.`).
    case stageNotFound
    /// The operation does not apply in the run's or stage's current state (409); the text says why.
    case conflict(String)
    /// Too many active runs or armed timers (503 + `Retry-After`).
    case full
}
