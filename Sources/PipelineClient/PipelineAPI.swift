import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One method per endpoint of the pipeline API (`/work/shared/spec/API.md`), each answering the
/// status and raw body; the `pipeline` CLI is a thin shell around this type.
public struct PipelineAPI: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080` (a path prefix is kept).
    public let baseURL: URL
    /// Sent on every request; `nil` sends no `Authorization` header.
    public let credentials: BasicCredentials?
    /// Seconds a request may wait for the server before failing with `ClientError.timedOut`.
    public let timeout: Double
    let transport: HTTPTransport

    /// Creates a client; `baseURL` must be an absolute `http` or `https` URL (see `parseBaseURL`).
    public init(baseURL: URL, credentials: BasicCredentials?, timeout: Double = 30) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.timeout = timeout
        self.transport = HTTPTransport(timeout: timeout)
    }

    /// Checks a user-supplied base URL: `http`/`https`, a host, no query or fragment. Answers `nil`
    /// when it is not usable, so the caller can report a usage error instead of a network error.
    public static func parseBaseURL(_ text: String) -> URL? {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else { return nil }
        return components.url
    }

    // MARK: - Pipelines

    /// `POST /v1/pipelines`: stores a new pipeline document (201 with its id).
    public func createPipeline(document: Data) async throws(ClientError) -> APIResponse {
        try await send("POST", ["v1", "pipelines"], body: document)
    }

    /// `GET /v1/pipelines/{id}`: the stored document with defaults filled in.
    public func pipeline(id: String) async throws(ClientError) -> APIResponse {
        try await send("GET", ["v1", "pipelines", id])
    }

    /// `PUT /v1/pipelines/{id}`: replaces the whole document; with `ifMatch`, only if the stored
    /// version still has that ETag (else 412), so a concurrent change is never overwritten.
    public func updatePipeline(id: String, document: Data, ifMatch: String? = nil) async throws(ClientError)
        -> APIResponse
    {
        try await send("PUT", ["v1", "pipelines", id], body: document, ifMatch: ifMatch)
    }

    /// `DELETE /v1/pipelines/{id}`: removes the pipeline, cancelling its active runs first; with
    /// `ifMatch`, only if it was not changed since that ETag was read.
    public func deletePipeline(id: String, ifMatch: String? = nil) async throws(ClientError) -> APIResponse {
        try await send("DELETE", ["v1", "pipelines", id], ifMatch: ifMatch)
    }

    /// `POST /v1/pipelines/{id}/trigger`: starts a new run (the answer carries its `run_id`).
    public func triggerPipeline(id: String) async throws(ClientError) -> APIResponse {
        try await send("POST", ["v1", "pipelines", id, "trigger"])
    }

    /// `GET /v1/pipelines`: one page of pipelines in creation order.
    public func listPipelines(limit: Int? = nil, cursor: String? = nil) async throws(ClientError) -> APIResponse {
        try await send("GET", ["v1", "pipelines"], query: pageQuery(limit: limit, cursor: cursor))
    }

    // MARK: - Runs

    /// `GET /v1/pipelines/{id}/runs`: one page of a pipeline's runs, newest first.
    public func listRuns(pipelineID: String, limit: Int? = nil, cursor: String? = nil) async throws(ClientError)
        -> APIResponse
    {
        try await send("GET", ["v1", "pipelines", pipelineID, "runs"], query: pageQuery(limit: limit, cursor: cursor))
    }

    /// `GET /v1/pipelines/{id}/runs/{run_id}`: one run with its stages.
    public func run(pipelineID: String, runID: String) async throws(ClientError) -> APIResponse {
        try await send("GET", ["v1", "pipelines", pipelineID, "runs", runID])
    }

    /// `POST …/runs/{run_id}/cancel`: cancels an active run (409 if it already finished).
    public func cancelRun(pipelineID: String, runID: String) async throws(ClientError) -> APIResponse {
        try await send("POST", ["v1", "pipelines", pipelineID, "runs", runID, "cancel"])
    }

    /// `POST …/runs/{run_id}/retry`: starts a new run of a failed or cancelled one's snapshot.
    public func retryRun(pipelineID: String, runID: String) async throws(ClientError) -> APIResponse {
        try await send("POST", ["v1", "pipelines", pipelineID, "runs", runID, "retry"])
    }

    /// `POST …/runs/{run_id}/stages/{stage}/result`: an executor reports a running stage's outcome;
    /// the stage name is percent-encoded as one path segment (`a/b` → `a%2Fb`).
    public func reportStageResult(
        pipelineID: String, runID: String, stage: String, status: StageOutcome
    ) async throws(ClientError) -> APIResponse {
        let body = Data(#"{"status": "\#(status.rawValue)"}"#.utf8)
        return try await send(
            "POST", ["v1", "pipelines", pipelineID, "runs", runID, "stages", stage, "result"], body: body)
    }

    // MARK: - Events

    /// `GET /v1/events`: opens the Server-Sent Events stream, resuming after `lastEventID`.
    /// The connection has no overall deadline; it fails after `idleTimeout` seconds without bytes.
    public func eventStream(
        pipelineID: String? = nil, lastEventID: String? = nil, idleTimeout: Double = 300
    ) -> AsyncThrowingStream<StreamPart, any Error> {
        var request = makeRequest("GET", ["v1", "events"], query: pipelineID.map { [("pipeline_id", $0)] } ?? [])
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        request.setValue("no-cache", forHTTPHeaderField: "Cache-Control")
        if let lastEventID { request.setValue(lastEventID, forHTTPHeaderField: "Last-Event-ID") }
        request.timeoutInterval = idleTimeout
        // Plain http is read by our own socket reader, which costs no CPU while it waits (see
        // `SocketStream`); https needs URLSession's TLS.
        if baseURL.scheme?.lowercased() == "http" { return SocketStream.open(request, idleTimeout: idleTimeout) }
        return StreamingTask.open(request, idleTimeout: idleTimeout, totalTimeout: nil)
    }

    // MARK: - Request building

    /// The full URL for `segments` below the base URL, each segment percent-encoded.
    public func url(_ segments: [String], query: [(String, String)] = []) -> URL {
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        for segment in segments { text += "/" + URLEncoding.pathSegment(segment) }
        if !query.isEmpty {
            text += "?" + query.map { "\($0.0)=\(URLEncoding.queryValue($0.1))" }.joined(separator: "&")
        }
        // Every piece was percent-encoded above, so the text is always a valid URL.
        return URL(string: text)!
    }

    func makeRequest(_ method: String, _ segments: [String], query: [(String, String)] = [], body: Data? = nil)
        -> URLRequest
    {
        var request = URLRequest(url: url(segments, query: query), timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let credentials { request.setValue(credentials.headerValue, forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    private func send(
        _ method: String, _ segments: [String], query: [(String, String)] = [], body: Data? = nil,
        ifMatch: String? = nil
    ) async throws(ClientError) -> APIResponse {
        var request = makeRequest(method, segments, query: query, body: body)
        if let ifMatch { request.setValue(ifMatch, forHTTPHeaderField: "If-Match") }
        return try await transport.send(request)
    }

    private func pageQuery(limit: Int?, cursor: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if let limit { query.append(("limit", String(limit))) }
        if let cursor { query.append(("cursor", cursor)) }
        return query
    }
}

/// The outcome an executor reports for a stage; the API accepts exactly these two.
public enum StageOutcome: String, Sendable, CaseIterable {
    case succeeded
    case failed
}
