/// Everything the registry keeps for one pipeline. Runs (and anything else that lives as long
/// as the pipeline) are meant to hang off this entry, so deleting the pipeline removes them too.
///
/// Memory: the GET body is the document (see `PipelineDocument`). For the API.md 3-stage sample
/// the body and the run snapshot take about 750 bytes; with the table and the creation index a
/// pipeline costs about 1.2 KB, so 100,000 fit the 150 MB budget (129 MiB measured).
package struct PipelineEntry: Sendable {
    package let id: PipelineID
    /// Position in creation order; the basis of list cursors.
    package let sequence: UInt64
    /// The GET body (`id` included), encoded once per write so reads never re-encode.
    package internal(set) var body: [UInt8]
    /// Changes on every write; the ETag is derived from it.
    package private(set) var version: UInt64
    /// What a trigger snapshots (stage names, types, timeouts, `parallel`), kept so a trigger
    /// does not decode and validate the body again; about 150 bytes for three stages.
    package private(set) var runStages: [RunPlan.Stage]
    package private(set) var parallel: Bool

    init(id: PipelineID, sequence: UInt64, document: PipelineDocument, version: UInt64) {
        self.id = id
        self.sequence = sequence
        body = document.encoded(id: id)
        self.version = version
        runStages = document.runStages
        parallel = document.parallel
    }

    /// The configuration a new run of this pipeline starts from.
    package var runPlan: RunPlan {
        RunPlan(pipelineID: id.description, parallel: parallel, stages: runStages)
    }

    /// The strong, quoted ETag of the current version; a PUT's ETag equals the next GET's.
    package var etag: String {
        EntityTag.forVersion(version)
    }

    /// The entry after a full replacement of its document.
    func replacing(with document: PipelineDocument, version: UInt64) -> PipelineEntry {
        var copy = self
        copy.body = document.encoded(id: id)
        copy.version = version
        copy.runStages = document.runStages
        copy.parallel = document.parallel
        return copy
    }
}

/// Why a registry operation did not happen; the server maps each case to a status.
package enum RegistryError: Error, Sendable, Equatable {
    /// No pipeline with that id (→ 404).
    case notFound
    /// `If-Match` did not match the current ETag (→ 412); nothing was written.
    case preconditionFailed(currentETag: String)
    /// The list cursor was not one the registry issued (→ 400).
    case invalidCursor
    /// The list limit was outside `PipelineRegistry.pageSizes` (→ 400).
    case invalidLimit

    /// A human sentence for a problem+json `detail`.
    package var detail: String {
        switch self {
        case .notFound: "Pipeline not found. Make sure to create the pipeline first."
        case .preconditionFailed: "The pipeline was modified since the given ETag (If-Match did not match)."
        case .invalidCursor: "The cursor is not valid; use a next_cursor value returned by this API."
        case .invalidLimit:
            "The limit must be an integer from \(PipelineRegistry.pageSizes.lowerBound) to \(PipelineRegistry.pageSizes.upperBound)."
        }
    }
}

/// One page of `GET /v1/pipelines`.
package struct PipelinePage: Sendable {
    package var entries: [PipelineEntry]
    /// Pass back as `cursor` to get the next page; nil on the last page.
    package var nextCursor: String?

    /// `{"pipelines": [...documents...], "next_cursor": "..."|null}` from the stored bodies.
    package func encoded() -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + entries.reduce(0) { $0 + $1.body.count + 1 })
        writer.beginObject()
        writer.key("pipelines")
        writer.beginArray()
        for entry in entries { writer.raw(entry.body) }
        writer.endArray()
        writer.key("next_cursor")
        writer.string(nextCursor)
        writer.endObject()
        return writer.bytes
    }
}
