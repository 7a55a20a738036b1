import ArgumentParser
import PipelineClient

/// The `--pipeline-id --run-id` pair that names one run.
struct RunReference: ParsableArguments {
    @Option(help: "The pipeline's id.") var pipelineId: String
    @Option(help: "The run's id (the run_id printed by trigger-pipeline).") var runId: String
}

/// `list-runs`: GET /v1/pipelines/{id}/runs, every page unless one page is asked for.
struct ListRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a pipeline's runs, newest first.",
        discussion: """
            Without --limit or --cursor, follows next_cursor and prints every run as one \
            {"runs": [...], "next_cursor": null}.

            Example:
              pipeline list-runs --pipeline-id "$ID" | jq -r '.runs[] | "\\(.id) \\(.status)"'
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline's id.") var pipelineId: String
    @Option(help: "Fetch only one page of at most this many runs (1-500).") var limit: Int?
    @Option(help: "Fetch only the page starting at this cursor (a previous next_cursor).") var cursor: String?

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            if limit != nil || cursor != nil {
                return try await api.listRuns(pipelineID: pipelineId, limit: limit, cursor: cursor)
            }
            return try await api.collectPages(key: "runs") { cursor throws(ClientError) in
                try await api.listRuns(pipelineID: pipelineId, limit: 500, cursor: cursor)
            }
        }
    }
}

/// `get-run`: GET /v1/pipelines/{id}/runs/{run_id}.
struct GetRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a run and the status of each of its stages.",
        discussion: """
            Example:
              pipeline get-run --pipeline-id "$ID" --run-id "$RUN" | jq '.stages[] | {name, status}'
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunReference

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.run(pipelineID: target.pipelineId, runID: target.runId)
        }
    }
}

/// `cancel-run`: POST …/runs/{run_id}/cancel.
struct CancelRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel an active run (fails with 409 if it already finished).",
        discussion: """
            Example:
              pipeline cancel-run --pipeline-id "$ID" --run-id "$RUN"
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunReference

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.cancelRun(pipelineID: target.pipelineId, runID: target.runId)
        }
    }
}

/// `retry-run`: POST …/runs/{run_id}/retry.
struct RetryRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new run from stage 1 with a failed or cancelled run's configuration.",
        discussion: """
            Example:
              pipeline retry-run --pipeline-id "$ID" --run-id "$RUN" | jq -r .id
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunReference

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.retryRun(pipelineID: target.pipelineId, runID: target.runId)
        }
    }
}

extension StageOutcome: ExpressibleByArgument {}

/// `report-stage`: POST …/runs/{run_id}/stages/{stage}/result.
struct ReportStage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the outcome of a running stage, as an executor does.",
        discussion: """
            The stage is named as in the pipeline document; any characters are fine (a "/" is \
            sent as %2F).

            Example:
              pipeline report-stage --pipeline-id "$ID" --run-id "$RUN" --stage "Run tests" --status succeeded
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunReference
    @Option(help: "The stage's name.") var stage: String
    @Option(help: "The stage's outcome.") var status: StageOutcome

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.reportStageResult(
                pipelineID: target.pipelineId, runID: target.runId, stage: stage, status: status)
        }
    }
}
