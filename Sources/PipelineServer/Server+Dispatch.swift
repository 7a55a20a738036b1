import HTTP1

extension Server {
    /// Routes a complete request: authentication first for `/v1` (401 before 404/405/422),
    /// then the route table, then the handler.
    func dispatch(_ request: RequestContext) -> Reply {
        var request = request
        let target = RequestTarget(request.head.target)
        switch resolve(method: request.head.method, path: target.path, authorization: request.head.headers["Authorization"]) {
        case .refused(let response):
            return .response(response)
        case .route(let route, let parameters):
            guard let query = target.queryItems else {
                return .response(Problem.response(.badRequest, "The query string has a malformed percent-escape."))
            }
            if let unknown = route.unknownParameter(in: query) {
                let accepted = route.query.isEmpty ? "none" : route.query.joined(separator: ", ")
                return .response(Problem.response(
                    .badRequest, "Unknown query parameter \"\(unknown)\"; this path accepts: \(accepted)."))
            }
            request.parameters = parameters
            request.query = query
            do {
                return try route.handler(request)
            } catch {
                return .response(Problem.response(for: error))
            }
        }
    }

    /// Decides what can be decided from the head alone, so `Expect: 100-continue` can be refused
    /// before the client sends a body.
    func preflight(_ head: RequestHead) -> Response? {
        let target = RequestTarget(head.target)
        if case .refused(let response) = resolve(method: head.method, path: target.path, authorization: head.headers["Authorization"]) {
            return response
        }
        return nil
    }

    /// `/a/b%2Fc/` → `["a", "b%2Fc", ""]`: split on `/` bytes, before any percent-decoding.
    private static func segments(of path: Substring) -> [Substring] {
        var segments: [Substring] = []
        var rest = path.dropFirst()
        while let slash = firstIndex(of: UInt8(ascii: "/"), in: rest) {
            segments.append(rest[..<slash])
            rest = rest[rest.utf8.index(after: slash)...]
        }
        segments.append(rest)
        return segments
    }

    private enum Resolution {
        case route(Router.Route, [(name: String, value: String)])
        case refused(Response)
    }

    private func resolve(method: String, path: Substring, authorization: String?) -> Resolution {
        guard path.first == "/" else {
            return .refused(Problem.response(.badRequest, "The request target must be a path (origin-form or absolute-form)."))
        }
        let match = router.match(method: method, rawSegments: Self.segments(of: path))
        let needsAuthentication: Bool
        switch match {
        case .found(let route, _): needsAuthentication = route.requiresAuthentication
        case .methodNotAllowed(_, let requires), .notFound(let requires): needsAuthentication = requires
        }
        if needsAuthentication, let failure = authenticator.check(authorization) {
            return .refused(Problem.response(
                .unauthorized, failure.rawValue,
                headers: ["WWW-Authenticate": #"Basic realm="pipeline""#]))
        }
        switch match {
        case .found(let route, let parameters):
            return .route(route, parameters)
        case .methodNotAllowed(let allowed, _):
            return .refused(Problem.response(
                .methodNotAllowed, "This path does not support \(method).",
                headers: ["Allow": allowed.joined(separator: ", ")]))
        case .notFound:
            return .refused(Problem.response(.notFound, "No such path."))
        }
    }
}
