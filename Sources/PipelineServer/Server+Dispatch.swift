import HTTP1

extension Server {
    /// Routes a complete request: authentication first for `/v1` (401 before 404/405/422),
    /// then the route table, then the handler.
    func dispatch(_ request: RequestContext) -> Reply {
        var request = request
        guard let target = RequestTarget(request.head.target) else {
            return .response(Problem.response(.badRequest, "The request target is not a valid path."))
        }
        switch resolve(method: request.head.method, target: target, authorization: request.head.headers["Authorization"]) {
        case .refused(let response):
            return .response(response)
        case .route(let route, let parameters):
            request.parameters = parameters
            request.query = target.queryItems
            return route.handler(request)
        }
    }

    /// Decides what can be decided from the head alone, so `Expect: 100-continue` can be refused
    /// before the client sends a body.
    func preflight(_ head: RequestHead) -> Response? {
        guard let target = RequestTarget(head.target) else {
            return Problem.response(.badRequest, "The request target is not a valid path.")
        }
        if case .refused(let response) = resolve(method: head.method, target: target, authorization: head.headers["Authorization"]) {
            return response
        }
        return nil
    }

    private enum Resolution {
        case route(Router.Route, [String: String])
        case refused(Response)
    }

    private func resolve(method: String, target: RequestTarget, authorization: String?) -> Resolution {
        let match = router.match(method: method, rawSegments: target.pathSegments)
        let needsAuthentication: Bool
        switch match {
        case .found(let route, _): needsAuthentication = route.requiresAuthentication
        case .methodNotAllowed(_, let requires), .notFound(let requires): needsAuthentication = requires
        }
        if needsAuthentication, let failure = authenticator.check(authorization) {
            return .refused(Problem.response(
                .unauthorized, failure.rawValue,
                headers: [("WWW-Authenticate", #"Basic realm="pipeline""#)]))
        }
        switch match {
        case .found(let route, let parameters):
            return .route(route, parameters)
        case .methodNotAllowed(let allowed, _):
            return .refused(Problem.response(
                .methodNotAllowed, "This path does not support \(method).",
                headers: [("Allow", allowed.joined(separator: ", "))]))
        case .notFound:
            return .refused(Problem.response(.notFound, "No such path."))
        }
    }
}
