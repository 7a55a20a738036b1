import HTTP1

/// Maps method + path to a handler. Patterns are literal segments and `{name}` parameters;
/// the path is split on `/` before percent-decoding, so `%2F` stays inside one parameter.
/// Routes are grouped by pattern, so a request compares literals once per pattern (no
/// allocation); parameters are left in the path and decoded only when a handler reads one.
struct Router {
    /// Answers a routed request, or throws what `Problem.response(for:)` turns into a problem.
    typealias Handler = (RequestContext) throws -> Reply

    /// A class: a match hands it on with one reference count, not one per field.
    final class Route {
        let method: String
        let template: String
        let requiresAuthentication: Bool
        /// The query parameters the handler reads. An API (`/v1`) route refuses any other with a
        /// 400, so a typo such as `?pipelineid=` is reported rather than silently ignored; the
        /// unauthenticated system routes ignore their query (probes add cache busters).
        let query: [String]
        /// Each `{name}` in the template and the index of the path segment that holds it.
        let parameters: [(name: String, segment: Int)]
        let handler: Handler

        init(
            method: String, template: String, requiresAuthentication: Bool, query: [String],
            parameters: [(name: String, segment: Int)], handler: @escaping Handler
        ) {
            self.method = method
            self.template = template
            self.requiresAuthentication = requiresAuthentication
            self.query = query
            self.parameters = parameters
            self.handler = handler
        }

        /// The first query parameter this route does not define, if it refuses unknown ones.
        func unknownParameter(in items: [(name: String, value: String)]) -> String? {
            guard requiresAuthentication else { return nil }
            return items.first { !query.contains($0.name) }?.name
        }
    }

    /// One path pattern and the routes (one per method) registered on it.
    ///
    /// The segments are kept as a count and two lists rather than one list of literal-or-parameter
    /// cases: a pattern of another length is passed over on its count alone, with nothing copied,
    /// and copying a case out of the list retained its payload.
    struct Pattern {
        let template: String
        /// How many segments a path has to have.
        let segmentCount: Int
        /// The literal segments, in path order.
        let literals: [Literal]
        /// The positions of the `{name}` segments.
        let parameters: [Int]
        var routes: [Route]
    }

    /// A literal segment: its position in the path and its bytes.
    struct Literal {
        let segment: Int
        let bytes: [UInt8]
    }

    enum Match {
        /// The route; its parameters are the path's segments at `Route.parameters`, each known to
        /// decode.
        case found(Route)
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
        let parts = template.split(separator: "/")
        precondition(parts.count <= PathSegments.capacity, "\(template) has more segments than a path keeps")
        var literals: [Literal] = []
        var parameters: [(name: String, segment: Int)] = []
        for (index, part) in parts.enumerated() {
            if part.first == "{" && part.last == "}" {
                parameters.append((String(part.dropFirst().dropLast()), index))
            } else {
                literals.append(Literal(segment: index, bytes: Array(part.utf8)))
            }
        }
        let route = Route(
            method: method, template: template, requiresAuthentication: authenticated, query: query,
            parameters: parameters, handler: handler)
        if let index = patterns.firstIndex(where: { $0.template == template }) {
            patterns[index].routes.append(route)
        } else {
            patterns.append(
                Pattern(
                    template: template, segmentCount: parts.count, literals: literals,
                    parameters: parameters.map(\.segment), routes: [route]))
        }
    }

    /// Finds the route for a raw (still percent-encoded) path. `HEAD` matches `GET`. A single
    /// trailing slash is the same path without it. A literal segment also matches its
    /// percent-encoded spelling (`/%68ealthz` is `/healthz`). A parameter that is empty or does not
    /// decode to UTF-8 matches nothing (404).
    func match(method: String, path segments: PathSegments) -> Match {
        // Borrowed through a span: trying a pattern copies none of its arrays.
        let patterns = self.patterns.span
        guard let index = firstMatch(segments) else {
            return .notFound(requiresAuthentication: segments.count > 0 && segments.segment(0, equals: Self.v1))
        }
        let routes = patterns[index].routes.span
        let lookupMethod = method == "HEAD" ? "GET" : method
        for route in routes.indices where routes[route].method == lookupMethod {
            return .found(routes[route])
        }
        let allowed = patterns[index].routes.flatMap { $0.method == "GET" ? ["GET", "HEAD"] : [$0.method] }
        return .methodNotAllowed(allowed: allowed, requiresAuthentication: routes[0].requiresAuthentication)
    }

    /// The first pattern `segments` matches. A pattern of another length is passed over on its
    /// count, read in place.
    private func firstMatch(_ segments: borrowing PathSegments) -> Int? {
        let patterns = self.patterns.span
        let count = segments.count
        for index in patterns.indices where patterns[index].segmentCount == count {
            if Self.matches(patterns[index].literals, patterns[index].parameters, segments) { return index }
        }
        return nil
    }

    /// Whether every literal matches and every parameter segment is non-empty and decodes.
    private static func matches(
        _ literals: [Literal], _ parameters: [Int], _ segments: borrowing PathSegments
    ) -> Bool {
        let literals = literals.span
        for index in literals.indices {
            guard segments.segment(literals[index].segment, equals: literals[index].bytes) else { return false }
        }
        let parameters = parameters.span
        for index in parameters.indices {
            let segment = parameters[index]
            guard !segments.isEmpty(segment), segments.isDecodable(segment) else { return false }
        }
        return true
    }
}
