import ArgumentParser
import Foundation
import PipelineClient

/// `create-pipeline`: POST /v1/pipelines.
struct CreatePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a pipeline from a JSON document.",
        discussion: """
            Prints {"id": "...", "message": "Pipeline created successfully."}.

            Example:
              pipeline create-pipeline --username admin --password admin \\
                --data @pipeline.json | jq -r .id
            """)

    @OptionGroup var server: ServerOptions
    @Option(
        name: [.customShort("d"), .long], help: "The pipeline document: inline JSON, @FILE, or - for standard input.")
    var data: String

    func validate() throws { try DocumentOptions.check(data: data, server: server) }

    func run() async throws {
        let document = try DocumentInput.read(data)
        try await server.perform { api throws(ClientError) in try await api.createPipeline(document: document) }
    }
}

/// `get-pipeline`: GET /v1/pipelines/{id}.
struct GetPipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a pipeline's document.",
        discussion: """
            On a terminal, prints a summary (with the ETag) instead of the JSON; --json prints the \
            JSON. --etag prints the ETag on standard error, for a later --if-match.

            Examples:
              pipeline get-pipeline --username admin --password admin \\
                --pipeline-id "$ID" | jq .stages
              pipeline get-pipeline "$ID" --etag 2>etag > pipeline.json
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: PipelineTarget
    @OptionGroup var output: OutputOptions
    @Flag(help: "Print the pipeline's ETag on standard error (for --if-match).") var etag = false

    func run() async throws {
        let printETag = etag
        try await server.perform(
            output.terminal,
            view: { response, _, terminal in
                PipelineViews.summary(response, terminal: terminal)
            }
        ) { api throws(ClientError) in
            let response = try await api.pipeline(id: target.pipelineID)
            if printETag, response.isSuccess, let tag = response.etag {
                FileHandle.standardError.write(Data((tag + "\n").utf8))
            }
            return response
        }
    }
}

/// `update-pipeline`: PUT /v1/pipelines/{id}.
struct UpdatePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace a pipeline's whole document.",
        discussion: """
            A document fetched with get-pipeline can be edited and sent back as it is (its "id" \
            is ignored). With --if-match, the update happens only if the pipeline still has that \
            ETag; otherwise nothing changes and it fails with 412.

            Examples:
              pipeline update-pipeline --username admin --password admin \\
                --pipeline-id "$ID" --data @pipeline.json
              pipeline update-pipeline "$ID" --if-match '"3"' --data @pipeline.json
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: PipelineTarget
    @Option(name: [.customShort("d"), .long], help: "The new document: inline JSON, @FILE, or - for standard input.")
    var data: String
    @Option(help: "Only if the pipeline's ETag is still this (as printed by get-pipeline --etag).")
    var ifMatch: String?

    func validate() throws { try DocumentOptions.check(data: data, server: server) }

    func run() async throws {
        let document = try DocumentInput.read(data)
        try await server.perform { api throws(ClientError) in
            try await api.updatePipeline(id: target.pipelineID, document: document, ifMatch: ifMatch)
        }
    }
}

/// `trigger-pipeline`: POST /v1/pipelines/{id}/trigger, optionally following the new run.
struct TriggerPipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a run of a pipeline.",
        discussion: """
            Prints {"id": "...", "run_id": "...", "message": "Pipeline triggered successfully."}. \
            With --watch, then follows the run until it ends (see watch --run-id) and exits 0 if \
            it succeeded, 2 if it failed or was cancelled.

            Examples:
              pipeline trigger-pipeline --username admin --password admin \\
                --pipeline-id "$ID" | jq -r .run_id
              pipeline trigger-pipeline "$ID" --watch
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: PipelineTarget
    @OptionGroup var output: OutputOptions
    @Flag(name: [.customShort("w"), .long], help: "Follow the new run until it ends; exit 2 unless it succeeded.")
    var watch = false

    func run() async throws {
        guard watch else {
            return try await server.perform { api throws(ClientError) in
                try await api.triggerPipeline(id: target.pipelineID)
            }
        }
        let follower = RunFollower(
            api: try await server.makeAPI(), pipelineID: target.pipelineID, terminal: output.terminal, idleTimeout: 300)
        let status = try await follower.follow { api in
            // Subscribed already, so none of the run's events can be missed.
            let response = try await RunFollower.request { () throws(ClientError) in
                try await api.triggerPipeline(id: target.pipelineID)
            }
            try await Outcome.emit(response)
            guard let runID = JSONBody.object(response.body)?["run_id"] as? String else {
                throw Outcome.unreachable(.unexpectedResponse(url: api.baseURL.absoluteString, reason: "no run_id"))
            }
            return runID
        }
        if status != "succeeded" { throw Outcome.runFailed }
    }
}

/// `delete-pipeline`: DELETE /v1/pipelines/{id}.
struct DeletePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete a pipeline (its active runs are cancelled first).",
        discussion: """
            With --if-match, deletes only if the pipeline still has that ETag (else 412).

            Examples:
              pipeline delete-pipeline --username admin --password admin \\
                --pipeline-id "$ID"
              pipeline delete-pipeline "$ID" --if-match '"3"'
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var target: PipelineTarget
    @Option(help: "Only if the pipeline's ETag is still this (as printed by get-pipeline --etag).")
    var ifMatch: String?

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            try await api.deletePipeline(id: target.pipelineID, ifMatch: ifMatch)
        }
    }
}

/// `list-pipelines`: GET /v1/pipelines, every page unless one page is asked for.
struct ListPipelines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List pipelines in creation order.",
        discussion: """
            Without --limit or --cursor, follows next_cursor and prints every pipeline as one \
            {"pipelines": [...], "next_cursor": null}. With them, prints that one page as the \
            server sent it. On a terminal, prints a table (id, name, stages, last run) instead; \
            --json prints the JSON.

            Example:
              pipeline list-pipelines | jq -r '.pipelines[] | "\\(.id) \\(.name)"'
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions
    @Option(name: [.customShort("L"), .long], help: "Fetch only one page of at most this many pipelines (1-500).")
    var limit: Int?
    @Option(help: "Fetch only the page starting at this cursor (a previous next_cursor).") var cursor: String?

    func run() async throws {
        try await server.perform(output.terminal, view: PipelineViews.table) { api throws(ClientError) in
            if limit != nil || cursor != nil {
                return try await api.listPipelines(limit: limit, cursor: cursor)
            }
            return try await api.collectPages(key: "pipelines") { cursor throws(ClientError) in
                try await api.listPipelines(limit: 500, cursor: cursor)
            }
        }
    }
}

/// Checks shared by the commands that read `--data`.
enum DocumentOptions {
    /// Standard input cannot carry both the document and the password.
    static func check(data: String, server: ServerOptions) throws {
        if data == "-", server.passwordStdin {
            throw ValidationError("--data - and --password-stdin both read standard input; use one")
        }
    }
}
