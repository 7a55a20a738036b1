import HTTP1

/// Maps method + path to a handler. Patterns are literal segments and `{name}` parameters;
/// the path is split on `/` before percent-decoding, so `%2F` stays inside one parameter.
struct Router {
    typealias Handler = (RequestContext) -> Reply

    struct Route {
        let method: String
        let pattern: [Segment]
        let template: String
        let requiresAuthentication: Bool
        let handler: Handler
    }

    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    enum Match {
        case found(Route, parameters: [String: String])
        /// The path exists but not for this method; `allowed` lists the methods that do.
        case methodNotAllowed(allowed: [String], requiresAuthentication: Bool)
        case notFound(requiresAuthentication: Bool)
    }

    private(set) var routes: [Route] = []

    /// Registers `handler` for `method` on `template`, e.g. `"/v1/pipelines/{id}"`.
    mutating func add(_ method: String, _ template: String, authenticated: Bool = true, _ handler: @escaping Handler) {
        let pattern = template.split(separator: "/").map { part -> Segment in
            part.first == "{" && part.last == "}" ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, template: template,
                            requiresAuthentication: authenticated, handler: handler))
    }

    /// Finds the route for raw (still percent-encoded) path segments. `HEAD` matches `GET`.
    /// A single trailing slash is the same path without it.
    func match(method: String, rawSegments: [Substring]) -> Match {
        var segments = rawSegments
        if segments.count > 0, segments.last!.isEmpty { segments.removeLast() }
        let lookupMethod = method == "HEAD" ? "GET" : method
        var allowed: [String] = []
        var authenticated = segments.first == "v1"
        for route in routes {
            guard let parameters = Self.bind(route.pattern, to: segments) else { continue }
            if route.method == lookupMethod { return .found(route, parameters: parameters) }
            allowed.append(route.method)
            if route.method == "GET" { allowed.append("HEAD") }
            authenticated = route.requiresAuthentication
        }
        if allowed.isEmpty { return .notFound(requiresAuthentication: authenticated) }
        return .methodNotAllowed(allowed: allowed, requiresAuthentication: authenticated)
    }

    /// Matches segments against a pattern, percent-decoding each parameter; nil if no match
    /// (including a parameter that is empty or does not decode to UTF-8).
    private static func bind(_ pattern: [Segment], to segments: [Substring]) -> [String: String]? {
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(pattern, segments) {
            switch part {
            case .literal(let literal):
                guard segment == literal else { return nil }
            case .parameter(let name):
                guard !segment.isEmpty, let decoded = RequestTarget.percentDecoded(segment) else { return nil }
                parameters[name] = decoded
            }
        }
        return parameters
    }
}
