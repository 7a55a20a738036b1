import HTTP1
import Pipelines

/// Triggers and runs: `/v1/pipelines/{id}/trigger`, `/runs`, `/runs/{run_id}` and its actions.
struct RunRoutes {
    typealias RunRequestError = PipelineRegistry.RunRequestError
    let services: Services

    func register(in router: inout Router) {
        router.add("POST", "/v1/pipelines/{id}/trigger", trigger)
        router.add("GET", "/v1/pipelines/{id}/runs", query: ["limit", "cursor"], list)
        router.add("GET", "/v1/pipelines/{id}/runs/{run_id}", read)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/cancel", cancel)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/retry", retry)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/stages/{stage}/result", report)
    }

    func trigger(_ request: RequestContext) throws -> Reply {
        let (id, now) = (request.parameter("id"), services.now)
        let (run, cancelled) = try services.write { (registry) throws(RunRequestError) in
            try registry.trigger(pipelineID: id, now: now).withCancelledRun
        }
        let runID = run.id.description  // once, for the body and the Location
        var extras = [(key: "run_id", value: runID)]
        if let cancelled { extras.append((key: "cancelled_run_id", value: cancelled.description)) }
        return .response(
            .json(
                .ok, PipelineRoutes.message(id: id, "Pipeline triggered successfully.", extras: extras),
                headers: ["Location": Self.location(pipelineID: run.pipelineID, runID: runID)]))
    }

    func list(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let limit = try Pagination.limit(request)
        let cursor = try Pagination.cursor(request)
        let page = try services.read { (registry) throws(RunRequestError) in
            try registry.runs(pipelineID: id, limit: limit, cursor: cursor)
        }
        return .response(.json(.ok, page.encoded()))
    }

    func read(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let runID = try runID(of: request, pipelineID: id)
        let run = try services.read { (registry) throws(RunRequestError) in
            try registry.run(pipelineID: id, runID: runID)
        }
        return .response(.json(.ok, run.json))
    }

    func cancel(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let (runID, now) = (try runID(of: request, pipelineID: id), services.now)
        let run = try services.write { (registry) throws(RunRequestError) in
            try registry.cancel(pipelineID: id, runID: runID, now: now)
        }
        return .response(.json(.ok, run.json))
    }

    func retry(_ request: RequestContext) throws -> Reply {
        let id = request.parameter("id")
        let (runID, now) = (try runID(of: request, pipelineID: id), services.now)
        let (run, cancelled) = try services.write { (registry) throws(RunRequestError) in
            try registry.retry(pipelineID: id, runID: runID, now: now).withCancelledRun
        }
        return .response(.json(.ok, run.json(cancelledRunID: cancelled), headers: ["Location": Self.location(of: run)]))
    }

    func report(_ request: RequestContext) throws -> Reply {
        let (id, stage) = (request.parameter("id"), request.parameter("stage"))
        let succeeded = try StageResult.decode(request.body)  // a bad body is refused before any lookup
        let runID = try runID(of: request, pipelineID: id)
        let now = services.now
        let run = try services.write { (registry) throws(RunRequestError) in
            try registry.report(pipelineID: id, runID: runID, stage: stage, succeeded: succeeded, now: now)
        }
        return .response(.json(.ok, run.json))
    }

    /// The path's `{run_id}`, parsed once here. Text that is not a run id (another spelling, or
    /// no UUID at all) names no run: 404 `Run not found.`, unless the pipeline is missing too,
    /// whose 404 comes first as for any unknown run.
    private func runID(of request: RequestContext, pipelineID: String) throws(RunRequestError) -> RunID {
        if let runID = RunID(request.parameter("run_id")) { return runID }
        let pipelineExists = services.read { registry in registry.entry(id: pipelineID) != nil }
        throw pipelineExists ? .run(.runNotFound) : .pipelineNotFound
    }

    static func location(of run: Run) -> String {
        location(pipelineID: run.pipelineID, runID: run.id.description)
    }

    /// `/v1/pipelines/{id}/runs/{run_id}` from ids already in text, in one buffer of its size.
    static func location(pipelineID: String, runID: String) -> String {
        let (prefix, infix) = ("/v1/pipelines/", "/runs/")
        var path = prefix
        path.reserveCapacity(prefix.utf8.count + pipelineID.utf8.count + infix.utf8.count + runID.utf8.count)
        path += pipelineID
        path += infix
        path += runID
        return path
    }
}

extension Written<Run> {
    /// The run, and the active run a trigger or retry cancelled to make room for it (the answer
    /// names it, so a client is never surprised that its earlier run stopped).
    var withCancelledRun: Written<(run: Run, cancelled: RunID?)> {
        Written<(run: Run, cancelled: RunID?)>(value: (value, change.runs.cancelledRunID), change: change)
    }
}

/// `?limit=` and `?cursor=`, shared by the list endpoints.
enum Pagination {
    /// `?limit=`: 1–500, default 100; anything else is a 400.
    static func limit(_ request: RequestContext) throws(RegistryError) -> Int {
        guard let text = request.queryValue("limit") else { return PipelineRegistry.defaultPageSize }
        guard let limit = Int(text), PipelineRegistry.pageSizes.contains(limit) else { throw .invalidLimit }
        return limit
    }

    /// `?cursor=`: nil when absent (the first page); an empty one is a 400, since a
    /// `next_cursor` is never empty, so an empty one is a client bug, not "start over".
    static func cursor(_ request: RequestContext) throws(RegistryError) -> String? {
        guard let cursor = request.queryValue("cursor") else { return nil }
        guard !cursor.isEmpty else { throw .invalidCursor }
        return cursor
    }
}

/// The body of a stage report: exactly `{"status": "succeeded" | "failed"}`.
enum StageResult {
    static let invalid = "The stage result is invalid."

    /// True for `succeeded`; throws a 400 for malformed JSON and a 422 naming every problem.
    static func decode(_ body: [UInt8]) throws(RequestFailure) -> Bool {
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONReader.parse(body)
        } catch {
            throw .malformedJSON(error)
        }
        guard let members = value.objectMembers else {
            throw .invalidBody(invalid, [FieldError(field: "$", message: "Must be an object with a status.")])
        }
        var errors: [FieldError] = []
        var succeeded: Bool?
        var hasStatus = false
        for (key, member) in members {
            if key != "status" {
                errors.append(FieldError(field: Excerpt.of(key), message: FieldMessage.unknownField))
                continue
            }
            hasStatus = true
            if member.stringValue == "succeeded" || member.stringValue == "failed" {
                succeeded = member.stringValue == "succeeded"
            } else {
                errors.append(FieldError(field: "status", message: "Must be \"succeeded\" or \"failed\"."))
            }
        }
        if !hasStatus { errors.append(FieldError(field: "status", message: FieldMessage.required)) }
        guard errors.isEmpty, let succeeded else { throw .invalidBody(invalid, errors) }
        return succeeded
    }
}
