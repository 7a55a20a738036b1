import HTTP1
import Pipelines

/// `GET /v1/events`: Server-Sent Events of every run and stage transition, resumable with
/// `Last-Event-ID` and filterable with `?pipeline_id=`.
enum EventRoutes {
    static func register(in router: inout Router) {
        router.add("GET", "/v1/events", stream)
    }

    static func stream(_ request: RequestContext) -> Reply {
        let pipelineID = request.queryValue("pipeline_id")
        let lastEventID = request.head.headers["Last-Event-ID"].flatMap { UInt64($0) }  // already trimmed
        let head = Response(status: .ok, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store"])
        let services = request.server.services
        return .stream(head: head) { sink in
            let replay = services.registry.assumeIsolated { registry in
                lastEventID.map { registry.events(after: $0, pipelineID: pipelineID) } ?? ([], false)
            }
            services.events.subscribe(sink, pipelineID: pipelineID, replay: replay, lastEventID: lastEventID)
        }
    }
}
