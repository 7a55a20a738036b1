import HTTP1
import Pipelines

/// `/v1/pipelines` and `/v1/pipelines/{id}`: create, list, read, replace, delete.
struct PipelineRoutes {
    let services: Services

    func register(in router: inout Router) {
        router.add("POST", "/v1/pipelines", create)
        router.add("GET", "/v1/pipelines", query: ["limit", "cursor"], list)
        router.add("GET", "/v1/pipelines/{id}", read)
        router.add("PUT", "/v1/pipelines/{id}", replace)
        router.add("DELETE", "/v1/pipelines/{id}", delete)
    }

    func create(_ request: RequestContext) throws -> Reply {
        let document = try Self.decode(request.body)
        let entry = services.write { $0.create(document) }
        let id = entry.id.description
        return .response(
            .json(
                .created, Self.message(id: id, "Pipeline created successfully."),
                headers: ["Location": "/v1/pipelines/" + id, "ETag": entry.etag]))
    }

    func list(_ request: RequestContext) throws -> Reply {
        let limit = try Pagination.limit(request)
        let cursor = try Pagination.cursor(request)
        let page = try services.read { (registry) throws(RegistryError) in
            try registry.list(limit: limit, cursor: cursor)
        }
        return .response(.json(.ok, page.encoded()))
    }

    func read(_ request: RequestContext) throws -> Reply {
        guard let id: PipelineID = request.identifier("id"), let entry = services.read(id, { $0.entry($1) }) else {
            throw RegistryError.notFound
        }
        if let condition = request.head.headers["If-None-Match"], EntityTag.ifNoneMatch(condition, matches: entry.etag)
        {
            return .response(Response(status: .notModified, headers: ["ETag": entry.etag]))
        }
        return .response(.json(.ok, entry.body, etag: entry.etag))
    }

    func replace(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let document = try Self.decode(request.body)
        let ifMatch = request.head.headers["If-Match"]
        let entry = try services.write { (registry) throws(RegistryError) in
            try registry.update(id: id, with: document, ifMatch: ifMatch)
        }
        return .response(
            .json(.ok, Self.message(id: id, "Pipeline updated successfully."), etag: entry.etag))
    }

    func delete(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let ifMatch = request.head.headers["If-Match"]
        let now = services.now
        _ = try services.write { (registry) throws(RegistryError) in
            try registry.delete(id: id, ifMatch: ifMatch, now: now)
        }
        return .response(.json(.ok, Self.message(id: id, "Pipeline deleted successfully.")))
    }

    /// Parses and validates a request body: malformed JSON → 400 with the byte offset,
    /// well-formed but invalid → 422 listing every problem.
    static func decode(_ body: [UInt8]) throws(DocumentError) -> PipelineDocument {
        try PipelineDocument.decode(body).get()
    }

    /// `{"id": …, "message": …}`, the acknowledgement body of every write.
    static func message(id: String, _ text: String, extras: [(key: String, value: String)] = []) -> [UInt8] {
        var writer = JSONWriter(capacity: 96 + 64 * extras.count)
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        for extra in extras {
            writer.key(extra.key)
            writer.string(extra.value)
        }
        writer.key("message")
        writer.string(text)
        writer.endObject()
        return writer.bytes
    }
}
