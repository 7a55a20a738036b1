/// Everything the registry keeps for one pipeline. Runs (and anything else that lives as long
/// as the pipeline) are meant to hang off this entry, so deleting the pipeline removes them too.
///
/// Memory: only the encoded body is kept, not the parsed `PipelineDocument`. Measured with
/// 100,000 copies of the API.md 3-stage sample, the body costs ~600 bytes per entry and
/// the parsed document (strings, stage array, `k8s_manifest` tree) another ~750, which would
/// push the server past its 150 MB budget. The body is the source of truth; `document` decodes
/// it again for the rare callers that need the whole model. Triggers, which are frequent, use
/// the small `runStages` snapshot instead.
package struct PipelineEntry: Sendable {
    package let id: PipelineID
    /// Position in creation order; the basis of list cursors.
    package let sequence: UInt64
    /// The GET body (`id` included), encoded once per write so reads never re-encode.
    package private(set) var body: [UInt8]
    /// Changes on every write; the ETag is derived from it.
    package private(set) var version: UInt64
    /// What a trigger snapshots (stage names, types, timeouts, `parallel`), kept so a trigger
    /// does not decode and validate the body again; about 150 bytes for three stages.
    package private(set) var runStages: [RunPlan.Stage]
    package private(set) var parallel: Bool

    init(id: PipelineID, sequence: UInt64, document: PipelineDocument, version: UInt64) {
        self.id = id
        self.sequence = sequence
        self.body = Self.storedBody(of: document, id: id)
        self.version = version
        runStages = Self.runStages(of: document)
        parallel = document.parallel
    }

    /// The configuration a new run of this pipeline starts from.
    package var runPlan: RunPlan {
        RunPlan(pipelineID: id.description, parallel: parallel, stages: runStages)
    }

    private static func runStages(of document: PipelineDocument) -> [RunPlan.Stage] {
        document.stages.map { RunPlan.Stage(name: $0.name, type: $0.typeName, timeout: $0.timeout) }
    }

    /// The strong, quoted ETag of the current version; a PUT's ETag equals the next GET's.
    package var etag: String {
        EntityTag.forVersion(version)
    }

    /// The stored document, decoded from `body` (which was encoded from a valid document).
    package var document: PipelineDocument {
        switch PipelineDocument.decode(body) {
        case .success(let document): return document
        case .failure(let error): preconditionFailure("stored body no longer decodes: \(error)")
        }
    }

    /// The entry after a full replacement of its document.
    func replacing(with document: PipelineDocument, version: UInt64) -> PipelineEntry {
        var copy = self
        copy.body = Self.storedBody(of: document, id: id)
        copy.version = version
        copy.runStages = Self.runStages(of: document)
        copy.parallel = document.parallel
        return copy
    }

    /// The encoded document in a buffer of exactly its size: the writer's buffer grows by
    /// doubling, and keeping that slack would cost ~400 bytes per stored pipeline.
    private static func storedBody(of document: PipelineDocument, id: PipelineID) -> [UInt8] {
        let encoded = document.encoded(id: id.description)
        var exact: [UInt8] = []
        exact.reserveCapacity(encoded.count)
        exact.append(contentsOf: encoded)
        return exact
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
        writer.key("next_cursor"); writer.string(nextCursor)
        writer.endObject()
        return writer.bytes
    }
}
