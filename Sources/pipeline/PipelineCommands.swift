import ArgumentParser
import PipelineClient

/// `create-pipeline`: POST /v1/pipelines.
struct CreatePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a pipeline from a JSON document.",
        discussion: """
            Prints {"id": "...", "message": "Pipeline created successfully."}.

            Example:
              pipeline create-pipeline --username admin --password admin --data @pipeline.json | jq -r .id
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline document: inline JSON, @FILE, or - for standard input.")
    var data: String

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
            Example:
              pipeline get-pipeline --username admin --password admin --pipeline-id "$ID" | jq .stages
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline's id.") var pipelineId: String

    func run() async throws {
        try await server.perform { api throws(ClientError) in try await api.pipeline(id: pipelineId) }
    }
}

/// `update-pipeline`: PUT /v1/pipelines/{id}.
struct UpdatePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace a pipeline's whole document.",
        discussion: """
            A document fetched with get-pipeline can be edited and sent back as it is (its "id" \
            is ignored).

            Example:
              pipeline update-pipeline --username admin --password admin --pipeline-id "$ID" --data @pipeline.json
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline's id.") var pipelineId: String
    @Option(help: "The new document: inline JSON, @FILE, or - for standard input.")
    var data: String

    func run() async throws {
        let document = try DocumentInput.read(data)
        try await server.perform { api throws(ClientError) in
            try await api.updatePipeline(id: pipelineId, document: document)
        }
    }
}

/// `trigger-pipeline`: POST /v1/pipelines/{id}/trigger.
struct TriggerPipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new run of a pipeline (cancelling its active run, if any).",
        discussion: """
            Prints the pipeline id, the new run_id and a message.

            Example:
              pipeline trigger-pipeline --username admin --password admin --pipeline-id "$ID" | jq -r .run_id
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline's id.") var pipelineId: String

    func run() async throws {
        try await server.perform { api throws(ClientError) in try await api.triggerPipeline(id: pipelineId) }
    }
}

/// `delete-pipeline`: DELETE /v1/pipelines/{id}.
struct DeletePipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete a pipeline (its active runs are cancelled first).",
        discussion: """
            Example:
              pipeline delete-pipeline --username admin --password admin --pipeline-id "$ID"
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "The pipeline's id.") var pipelineId: String

    func run() async throws {
        try await server.perform { api throws(ClientError) in try await api.deletePipeline(id: pipelineId) }
    }
}

/// `list-pipelines`: GET /v1/pipelines, every page unless one page is asked for.
struct ListPipelines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List pipelines in creation order.",
        discussion: """
            Without --limit or --cursor, follows next_cursor and prints every pipeline as one \
            {"pipelines": [...], "next_cursor": null}. With them, prints that one page as the \
            server sent it.

            Example:
              pipeline list-pipelines | jq -r '.pipelines[] | "\\(.id) \\(.name)"'
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "Fetch only one page of at most this many pipelines (1-500).") var limit: Int?
    @Option(help: "Fetch only the page starting at this cursor (a previous next_cursor).") var cursor: String?

    func run() async throws {
        try await server.perform { api throws(ClientError) in
            if limit != nil || cursor != nil {
                return try await api.listPipelines(limit: limit, cursor: cursor)
            }
            return try await api.collectPages(key: "pipelines") { cursor throws(ClientError) in
                try await api.listPipelines(limit: 500, cursor: cursor)
            }
        }
    }
}
