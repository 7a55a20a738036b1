import HTTP1

/// Maps method + path to a handler. Patterns are literal segments and `{name}` parameters;
/// the path is split on `/` before percent-decoding, so `%2F` stays inside one parameter.
/// Routes are grouped by pattern, so a request compares literals once per pattern (no
/// allocation) and decodes parameters only for the pattern that matched.
struct Router {
    /// Answers a routed request, or throws what `Problem.response(for:)` turns into a problem.
    typealias Handler = (RequestContext) throws -> Reply

    struct Route {
        let method: String
        let template: String
        let requiresAuthentication: Bool
        /// The query parameters the handler reads. An API (`/v1`) route refuses any other with a
        /// 400, so a typo such as `?pipelineid=` is reported rather than silently ignored; the
        /// unauthenticated system routes ignore their query (probes add cache busters).
        let query: [String]
        let handler: Handler

        /// The first query parameter this route does not define, if it refuses unknown ones.
        func unknownParameter(in items: [(name: String, value: String)]) -> String? {
            guard requiresAuthentication else { return nil }
            return items.first { !query.contains($0.name) }?.name
        }
    }

    enum Segment {
        case literal([UInt8])
        case parameter(String)
    }

    /// One path pattern and the routes (one per method) registered on it.
    struct Pattern {
        let template: String
        let segments: [Segment]
        var routes: [Route]
    }

    enum Match {
        case found(Route, parameters: [(name: String, value: String)])
        /// The path exists but not for this method; `allowed` lists the methods that do.
        case methodNotAllowed(allowed: [String], requiresAuthentication: Bool)
        case notFound(requiresAuthentication: Bool)
    }

    private(set) var patterns: [Pattern] = []
    private static let v1 = Array("v1".utf8)

    /// Every registered route, for comparing the table with `openapi.json`.
    var routes: [Route] { patterns.flatMap(\.routes) }

    /// Registers `handler` for `method` on `template`, e.g. `"/v1/pipelines/{id}"`.
    mutating func add(
        _ method: String, _ template: String, authenticated: Bool = true, query: [String] = [],
        _ handler: @escaping Handler
    ) {
        let route = Route(
            method: method, template: template, requiresAuthentication: authenticated, query: query, handler: handler)
        if let index = patterns.firstIndex(where: { $0.template == template }) {
            patterns[index].routes.append(route)
            return
        }
        let segments = template.split(separator: "/").map { part -> Segment in
            part.first == "{" && part.last == "}"
                ? .parameter(String(part.dropFirst().dropLast())) : .literal(Array(part.utf8))
        }
        patterns.append(Pattern(template: template, segments: segments, routes: [route]))
    }

    /// Finds the route for raw (still percent-encoded) path segments. `HEAD` matches `GET`.
    /// A single trailing slash is the same path without it. A literal segment also matches its
    /// percent-encoded spelling (`/%68ealthz` is `/healthz`). A parameter that is empty or
    /// does not decode to UTF-8 matches nothing (404).
    func match(method: String, rawSegments: [Substring]) -> Match {
        var segments = rawSegments[...]
        if segments.last?.isEmpty == true { segments.removeLast() }
        let underV1 = segments.first.map { RequestTarget.segment($0, equals: Self.v1) } ?? false
        guard let pattern = patterns.first(where: { Self.literalsMatch($0.segments, segments) }),
            let parameters = Self.decodeParameters(pattern.segments, segments)
        else { return .notFound(requiresAuthentication: underV1) }
        let lookupMethod = method == "HEAD" ? "GET" : method
        if let route = pattern.routes.first(where: { $0.method == lookupMethod }) {
            return .found(route, parameters: parameters)
        }
        let allowed = pattern.routes.flatMap { $0.method == "GET" ? ["GET", "HEAD"] : [$0.method] }
        return .methodNotAllowed(allowed: allowed, requiresAuthentication: pattern.routes[0].requiresAuthentication)
    }

    private static func literalsMatch(_ pattern: [Segment], _ segments: ArraySlice<Substring>) -> Bool {
        guard pattern.count == segments.count else { return false }
        for (part, segment) in zip(pattern, segments) {
            switch part {
            case .literal(let literal): guard RequestTarget.segment(segment, equals: literal) else { return false }
            case .parameter: guard !segment.isEmpty else { return false }
            }
        }
        return true
    }

    private static func decodeParameters(_ pattern: [Segment], _ segments: ArraySlice<Substring>) -> [(
        name: String, value: String
    )]? {
        var parameters: [(name: String, value: String)] = []
        for (part, segment) in zip(pattern, segments) {
            guard case .parameter(let name) = part else { continue }
            guard let decoded = RequestTarget.percentDecoded(segment) else { return nil }
            parameters.append((name, decoded))
        }
        return parameters
    }
}
