import HTTP1
import Pipelines

/// Triggers and runs: `/v1/pipelines/{id}/trigger`, `/runs`, `/runs/{run_id}` and its actions.
enum RunRoutes {
    typealias RunRequestError = PipelineRegistry.RunRequestError

    static func register(in router: inout Router) {
        router.add("POST", "/v1/pipelines/{id}/trigger", trigger)
        router.add("GET", "/v1/pipelines/{id}/runs", query: ["limit", "cursor"], list)
        router.add("GET", "/v1/pipelines/{id}/runs/{run_id}", read)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/cancel", cancel)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/retry", retry)
        router.add("POST", "/v1/pipelines/{id}/runs/{run_id}/stages/{stage}/result", report)
    }

    static func trigger(_ request: RequestContext) -> Reply {
        let id = request.parameter("id")
        let now = request.server.now
        return perform(request) { (registry) throws(RunRequestError) in try registry.trigger(pipelineID: id, now: now) } reply: { change in
            var extras = [(key: "run_id", value: change.run.id)]
            if let cancelled = change.cancelledRunID { extras.append((key: "cancelled_run_id", value: cancelled)) }
            return .json(.ok, PipelineRoutes.message(id: id, "Pipeline triggered successfully.", extras: extras),
                         headers: ["Location": location(of: change.run)])
        }
    }

    static func list(_ request: RequestContext) -> Reply {
        let id = request.parameter("id")
        guard let limit = Pagination.limit(request) else { return .response(PipelineRoutes.problem(for: .invalidLimit)) }
        guard let cursor = Pagination.cursor(request) else { return .response(PipelineRoutes.problem(for: .invalidCursor)) }
        do throws(RunRequestError) {
            let page = try request.server.services.withRegistry { (registry) throws(RunRequestError) in
                try registry.runs(pipelineID: id, limit: limit, cursor: cursor)
            }
            var writer = JSONWriter(capacity: 64 + 512 * page.runs.count)
            writer.beginObject()
            writer.key("runs")
            writer.beginArray()
            for run in page.runs { run.write(to: &writer) }
            writer.endArray()
            writer.key("next_cursor"); writer.string(page.nextCursor)
            writer.endObject()
            return .response(.json(.ok, writer.bytes))
        } catch {
            return .response(problem(for: error))
        }
    }

    static func read(_ request: RequestContext) -> Reply {
        let (id, runID) = (request.parameter("id"), request.parameter("run_id"))
        do throws(RunRequestError) {
            let run = try request.server.services.withRegistry { (registry) throws(RunRequestError) in
                try registry.run(pipelineID: id, runID: runID)
            }
            return .response(.json(.ok, run.json))
        } catch {
            return .response(problem(for: error))
        }
    }

    static func cancel(_ request: RequestContext) -> Reply {
        let (id, runID, now) = (request.parameter("id"), request.parameter("run_id"), request.server.now)
        return perform(request) { (registry) throws(RunRequestError) in try registry.cancel(pipelineID: id, runID: runID, now: now) } reply: { change in
            .json(.ok, change.run.json)
        }
    }

    static func retry(_ request: RequestContext) -> Reply {
        let (id, runID, now) = (request.parameter("id"), request.parameter("run_id"), request.server.now)
        return perform(request) { (registry) throws(RunRequestError) in try registry.retry(pipelineID: id, runID: runID, now: now) } reply: { change in
            .json(.ok, change.run.json(cancelledRunID: change.cancelledRunID), headers: ["Location": location(of: change.run)])
        }
    }

    static func report(_ request: RequestContext) -> Reply {
        let (id, runID, stage) = (request.parameter("id"), request.parameter("run_id"), request.parameter("stage"))
        let succeeded: Bool
        switch StageResult.decode(request.body) {
        case .success(let value): succeeded = value
        case .failure(let problem): return .response(problem)
        }
        let now = request.server.now
        return perform(request) { (registry) throws(RunRequestError) in
            try registry.report(pipelineID: id, runID: runID, stage: stage, succeeded: succeeded, now: now)
        } reply: { change in
            .json(.ok, change.run.json)
        }
    }

    /// Runs a mutating run operation, publishes its events, and answers with `reply` or a problem.
    private static func perform(
        _ request: RequestContext,
        _ operation: @Sendable (isolated PipelineRegistry) throws(RunRequestError) -> PipelineRegistry.RunChange,
        reply: (PipelineRegistry.RunChange) -> Response
    ) -> Reply {
        let services = request.server.services
        do throws(RunRequestError) {
            let change = try services.withRegistry(operation)
            services.didChangeRuns(change.events)
            return .response(reply(change))
        } catch {
            return .response(problem(for: error))
        }
    }

    static func location(of run: Run) -> String {
        "/v1/pipelines/\(run.pipelineID)/runs/\(run.id)"
    }

    static func problem(for error: RunRequestError) -> Response {
        switch error {
        case .pipelineNotFound, .run(.runNotFound), .run(.stageNotFound):
            Problem.response(.notFound, error.detail)
        case .run(.conflict):
            Problem.response(.conflict, error.detail)
        case .run(.full):
            Problem.response(.serviceUnavailable, error.detail, headers: ["Retry-After": "1"])
        }
    }
}

/// `?limit=` and `?cursor=`, shared by the list endpoints.
enum Pagination {
    /// `?limit=`: 1–500, default 100; nil when invalid (400).
    static func limit(_ request: RequestContext) -> Int? {
        guard let text = request.queryValue("limit") else { return PipelineRegistry.defaultPageSize }
        guard let limit = Int(text), PipelineRegistry.pageSizes.contains(limit) else { return nil }
        return limit
    }

    /// `?cursor=`: `.some(nil)` when absent (the first page), nil when empty (400): a
    /// `next_cursor` is never empty, so an empty one is a client bug, not "start over".
    static func cursor(_ request: RequestContext) -> String?? {
        guard let cursor = request.queryValue("cursor") else { return .some(nil) }
        return cursor.isEmpty ? nil : .some(cursor)
    }
}

/// The body of a stage report: exactly `{"status": "succeeded" | "failed"}`.
enum StageResult {
    static func decode(_ body: [UInt8]) -> Result<Bool, Response> {
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONReader.parse(body)
        } catch {
            return .failure(Problem.response(.badRequest, "The request body is not valid JSON: \(error.reason) at byte offset \(error.offset)."))
        }
        guard let members = value.objectMembers else {
            return .failure(invalid("$", "Must be an object with a status."))
        }
        var errors: [FieldError] = []
        var succeeded: Bool?
        var hasStatus = false
        for (key, member) in members {
            if key != "status" {
                errors.append(FieldError(field: key, message: "Unknown field."))
                continue
            }
            hasStatus = true
            if member.stringValue == "succeeded" || member.stringValue == "failed" {
                succeeded = member.stringValue == "succeeded"
            } else {
                errors.append(FieldError(field: "status", message: "Must be \"succeeded\" or \"failed\"."))
            }
        }
        if !hasStatus { errors.append(FieldError(field: "status", message: "Field required.")) }
        guard errors.isEmpty, let succeeded else {
            return .failure(Problem.response(.unprocessableContent, "The stage result is invalid.", errors: errors))
        }
        return .success(succeeded)
    }

    private static func invalid(_ field: String, _ message: String) -> Response {
        Problem.response(.unprocessableContent, "The stage result is invalid.", errors: [FieldError(field: field, message: message)])
    }
}
