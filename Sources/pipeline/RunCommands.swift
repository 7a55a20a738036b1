import ArgumentParser
import PipelineClient

/// `list-runs`: GET /v1/pipelines/{id}/runs, every page unless one page is asked for.
struct ListRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a pipeline's runs, newest first.",
        discussion: """
            Without --limit or --cursor, follows next_cursor and prints every run as one \
            {"runs": [...], "next_cursor": null}. On a terminal, prints a table (id, status, \
            created, duration) instead; --json prints the JSON.

            Example:
              pipeline list-runs "$ID" | jq -r '.runs[] | "\\(.id) \\(.status)"'
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: PipelineTarget
    @OptionGroup var output: OutputOptions
    @Option(name: [.customShort("L"), .long], help: "Fetch only one page of at most this many runs (1-500).") var limit:
        Int?
    @Option(help: "Fetch only the page starting at this cursor (a previous next_cursor).") var cursor: String?

    func run() async throws {
        let id = target.pipelineID
        try await server.perform(
            output.terminal, view: { response, _, terminal in RunViews.table(response, terminal: terminal) }
        ) {
            api throws(ClientError) in
            if limit != nil || cursor != nil {
                return try await api.listRuns(pipelineID: id, limit: limit, cursor: cursor)
            }
            return try await api.collectPages(key: "runs") { cursor throws(ClientError) in
                try await api.listRuns(pipelineID: id, limit: 500, cursor: cursor)
            }
        }
    }
}

/// `get-run`: GET /v1/pipelines/{id}/runs/{run_id}.
struct GetRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a run and the status of each of its stages.",
        discussion: """
            On a terminal, prints the run stage by stage with durations; --json prints the JSON.

            Example:
              pipeline get-run "$ID" "$RUN" | jq '.stages[] | {name, status}'
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunTarget
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await server.perform(
            output.terminal,
            view: { response, _, terminal in
                JSONBody.object(response.body).map { RunViews.summary($0, terminal: terminal) }
            }
        ) { api throws(ClientError) in
            try await api.run(pipelineID: target.pipelineID, runID: target.runID)
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
    @OptionGroup var target: RunTarget

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.cancelRun(pipelineID: target.pipelineID, runID: target.runID)
        }
    }
}

/// `retry-run`: POST …/runs/{run_id}/retry.
struct RetryRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new run from stage 1 with a failed or cancelled run's configuration.",
        discussion: """
            Example:
              pipeline retry-run "$ID" "$RUN" | jq -r .id
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunTarget

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.retryRun(pipelineID: target.pipelineID, runID: target.runID)
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
              pipeline report-stage "$ID" "$RUN" --stage "Run tests" \\
                --status succeeded
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: RunTarget
    @Option(name: [.customShort("s"), .long], help: "The stage's name.") var stage: String
    @Option(help: "The stage's outcome.") var status: StageOutcome

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.reportStageResult(
                pipelineID: target.pipelineID, runID: target.runID, stage: stage, status: status)
        }
    }
}
