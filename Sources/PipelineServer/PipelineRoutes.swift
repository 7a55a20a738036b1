import HTTP1
import Pipelines

/// `/v1/pipelines` and `/v1/pipelines/{id}`: create, list, read, replace, delete.
enum PipelineRoutes {
    static func register(in router: inout Router) {
        router.add("POST", "/v1/pipelines", create)
        router.add("GET", "/v1/pipelines", query: ["limit", "cursor"], list)
        router.add("GET", "/v1/pipelines/{id}", read)
        router.add("PUT", "/v1/pipelines/{id}", replace)
        router.add("DELETE", "/v1/pipelines/{id}", delete)
    }

    static func create(_ request: RequestContext) -> Reply {
        let document: PipelineDocument
        switch decode(request.body) {
        case .success(let decoded): document = decoded
        case .failure(let problem): return .response(problem)
        }
        let entry = request.server.services.registry.assumeIsolated { $0.create(document) }
        let id = entry.id.description
        return .response(.json(
            .created, message(id: id, "Pipeline created successfully."),
            headers: ["Location": "/v1/pipelines/\(id)", "ETag": entry.etag]))
    }

    static func list(_ request: RequestContext) -> Reply {
        guard let limit = Pagination.limit(request) else { return .response(problem(for: .invalidLimit)) }
        guard let cursor = Pagination.cursor(request) else { return .response(problem(for: .invalidCursor)) }
        do throws(RegistryError) {
            let page = try request.server.services.withRegistry { (registry) throws(RegistryError) in try registry.list(limit: limit, cursor: cursor) }
            return .response(.json(.ok, page.encoded()))
        } catch {
            return .response(problem(for: error))
        }
    }

    static func read(_ request: RequestContext) -> Reply {
        let id = request.parameter("id")
        guard let entry = request.server.services.registry.assumeIsolated({ $0.entry(id: id) }) else {
            return .response(problem(for: .notFound))
        }
        if let condition = request.head.headers["If-None-Match"], EntityTag.ifNoneMatch(condition, matches: entry.etag) {
            return .response(Response(status: .notModified, headers: ["ETag": entry.etag]))
        }
        return .response(.json(.ok, entry.body, headers: ["ETag": entry.etag]))
    }

    static func replace(_ request: RequestContext) -> Reply {
        let id = request.parameter("id")
        let document: PipelineDocument
        switch decode(request.body) {
        case .success(let decoded): document = decoded
        case .failure(let problem): return .response(problem)
        }
        let ifMatch = request.head.headers["If-Match"]
        do throws(RegistryError) {
            let entry = try request.server.services.withRegistry { (registry) throws(RegistryError) in
                try registry.update(id: id, with: document, ifMatch: ifMatch)
            }
            return .response(.json(.ok, message(id: id, "Pipeline updated successfully."), headers: ["ETag": entry.etag]))
        } catch {
            return .response(problem(for: error))
        }
    }

    static func delete(_ request: RequestContext) -> Reply {
        let id = request.parameter("id")
        let ifMatch = request.head.headers["If-Match"]
        let now = request.server.now
        do throws(RegistryError) {
            let services = request.server.services
            let events = try services.withRegistry { (registry) throws(RegistryError) in
                try registry.deletePipeline(id: id, ifMatch: ifMatch, now: now)
            }
            services.didChangeRuns(events)
            return .response(.json(.ok, message(id: id, "Pipeline deleted successfully.")))
        } catch {
            return .response(problem(for: error))
        }
    }

    /// Parses and validates a request body: malformed JSON → 400 with the byte offset,
    /// well-formed but invalid → 422 listing every problem.
    static func decode(_ body: [UInt8]) -> Result<PipelineDocument, Response> {
        switch PipelineDocument.decode(body) {
        case .success(let document):
            return .success(document)
        case .failure(let error):
            switch error {
            case .malformed: return .failure(Problem.response(.badRequest, error.detail))
            case .invalid(let errors): return .failure(Problem.response(.unprocessableContent, error.detail, errors: errors))
            }
        }
    }

    static func problem(for error: RegistryError) -> Response {
        switch error {
        case .notFound: Problem.response(.notFound, error.detail)
        case .preconditionFailed(let current): Problem.response(.preconditionFailed, error.detail, headers: ["ETag": current])
        case .invalidCursor, .invalidLimit: Problem.response(.badRequest, error.detail)
        }
    }

    /// `{"id": …, "message": …}`, the acknowledgement body of every write.
    static func message(id: String, _ text: String, extras: [(key: String, value: String)] = []) -> [UInt8] {
        var writer = JSONWriter(capacity: 96 + 64 * extras.count)
        writer.beginObject()
        writer.key("id"); writer.string(id)
        for extra in extras { writer.key(extra.key); writer.string(extra.value) }
        writer.key("message"); writer.string(text)
        writer.endObject()
        return writer.bytes
    }
}
