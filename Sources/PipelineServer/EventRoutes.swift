import HTTP1
import Pipelines

/// `GET /v1/events`: Server-Sent Events of every run and stage transition, resumable with
/// `Last-Event-ID` and filterable with `?pipeline_id=`.
struct EventRoutes {
    let services: Services

    func register(in router: inout Router) {
        router.add("GET", "/v1/events", query: ["pipeline_id"], stream)
    }

    func stream(_ request: RequestContext) throws -> Reply {
        let pipelineID = request.queryValue("pipeline_id")
        let lastEventID = try Self.resumePoint(request.head.headers["Last-Event-ID"])  // already trimmed
        let address = request.peerAddress
        guard services.events.admits(address) else { return .response(Self.tooManyStreams) }
        let head = Response(status: .ok, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store"])
        let services = services
        return .stream(head: head) { sink in
            var (replay, oldestKept) = services.registry.assumeIsolated { registry in
                (
                    lastEventID.map { registry.events(after: $0, pipelineID: pipelineID) } ?? ([], false),
                    registry.oldestEventSeq
                )
            }
            // Only durable events: newer ones are published to this subscriber once committed.
            let durable = services.durableEventSeq
            if replay.0.last.map({ $0.seq > durable }) ?? false { replay.0.removeAll { $0.seq > durable } }
            let resume = lastEventID.map { (lastEventID: $0, oldestKept: oldestKept) }
            services.events.subscribe(
                sink, pipelineID: pipelineID, address: address, replay: replay, resumingFrom: resume)
        }
    }

    /// The answer past `--max-subscribers-per-address`: streams end only when clients leave, so
    /// a retry after a few seconds is the useful advice.
    static let tooManyStreams = Problem.response(
        .tooManyRequests,
        "Too many event streams are open from this address; close one, or retry later.",
        headers: ["Retry-After": "5"])

    /// The id to resume after, from `Last-Event-ID`: nil when there is none (no header, or an
    /// empty one, which is what an SSE client holds before it has seen an id); a 400 when the
    /// value is not decimal digits, since ids are only ever ones this server gave and anything
    /// else is a client bug worth reporting rather than a silent start from "now". A value beyond
    /// any id (even beyond 2^64 − 1) is from an earlier life of the server: it saturates, and the
    /// stream starts with `events_lost`.
    static func resumePoint(_ value: String?) throws(RequestFailure) -> UInt64? {
        guard let value, !value.isEmpty else { return nil }
        guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .badRequest("Last-Event-ID must be an event id: decimal digits only.")
        }
        return UInt64(value) ?? .max
    }
}
