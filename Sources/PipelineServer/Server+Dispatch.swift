import HTTP1
import Pipelines

extension Server {
    /// Routes a complete request: the `Host` first (421), then authentication for `/v1` (401
    /// before 404/405/422), the route table, the browser rules for writes (403, 415), then the
    /// handler. Every `/v1` answer carries `BrowserSafety.apiResponseLines`. A request with a body
    /// was routed by `preflight` when its head arrived, and is not routed again.
    func dispatch(_ request: RequestContext) -> Reply {
        if let preflighted = request.preflighted {
            return answer(request, route: preflighted.route, target: preflighted.target)
        }
        let target = RequestTarget(request.head)
        switch resolve(request.head, target: target, from: request.transport) {
        case .refused(let response, let isAPI):
            return .response(isAPI ? Self.markedAsAPI(response) : response)
        case .route(let route):
            return answer(request, route: route, target: target)
        }
    }

    private func answer(_ request: RequestContext, route: Router.Route, target: borrowing RequestTarget) -> Reply {
        let reply = handle(request, route: route, path: target.pathSegments, query: target.queryItems)
        return route.requiresAuthentication ? Self.markedAsAPI(reply) : reply
    }

    private func handle(
        _ request: RequestContext, route: Router.Route, path: PathSegments, query: [(name: String, value: String)]?
    ) -> Reply {
        guard let query else {
            return .response(Problem.response(.badRequest, "The query string has a malformed percent-escape."))
        }
        if let unknown = route.unknownParameter(in: query) {
            let accepted = route.query.isEmpty ? "none" : route.query.joined(separator: ", ")
            return .response(
                Problem.response(
                    .badRequest, "Unknown query parameter \"\(Excerpt.of(unknown))\"; this path accepts: \(accepted)."))
        }
        request.routed(route, path: path)
        request.query = query
        do {
            return try route.handler(request)
        } catch {
            return .response(Problem.response(for: error))
        }
    }

    /// Decides what can be decided from the head alone, so `Expect: 100-continue` can be refused
    /// before the client sends a body: the refusal, or the route, which `dispatch` then uses.
    func preflight(_ head: RequestHead, from client: any Transport) -> Preflight {
        let target = RequestTarget(head)
        switch resolve(head, target: target, from: client) {
        case .refused(let response, let isAPI): return .refused(isAPI ? Self.markedAsAPI(response) : response)
        case .route(let route): return .routed(Preflighted(route: route, target: target))
        }
    }

    enum Preflight {
        case refused(Response)
        case routed(Preflighted)
    }

    /// The route a request with a body was given from its head, and the target it was matched
    /// on, kept until the body has arrived. A class: the connection holds it meanwhile, and an
    /// idle connection should carry one reference, not a target's worth of room.
    final class Preflighted {
        let route: Router.Route
        let target: RequestTarget

        init(route: Router.Route, target: RequestTarget) {
            self.route = route
            self.target = target
        }
    }

    private enum Resolution {
        case route(Router.Route)
        /// `isAPI`: the path is under `/v1`, so the answer gets the API's response fields.
        case refused(Response, isAPI: Bool)
    }

    private func resolve(_ head: RequestHead, target: RequestTarget, from client: (any Transport)?) -> Resolution {
        guard target.isOriginPath else {
            return .refused(
                Problem.response(.badRequest, "The request target must be a path (origin-form or absolute-form)."),
                isAPI: false)
        }
        if !namesAcceptedHost(head.headers) {
            let host = BrowserSafety.host(in: head.headers)
            guard BrowserSafety.acceptsHost(host, configuration) else {
                return .refused(Self.misdirected(host ?? ""), isAPI: false)
            }
            acceptedHost = host.map { Array($0.utf8) }
        }
        let segments = target.pathSegments
        let match = router.match(method: head.method, path: segments)
        let needsAuthentication: Bool
        switch match {
        case .found(let route): needsAuthentication = route.requiresAuthentication
        case .methodNotAllowed(_, let requires), .notFound(let requires): needsAuthentication = requires
        }
        if needsAuthentication, let refusal = authenticate(head.headers, from: client) {
            return .refused(refusal, isAPI: true)
        }
        switch match {
        case .found(let route):
            if let refusal = BrowserSafety.refusal(ofWrite: head) {
                return .refused(refusal, isAPI: needsAuthentication)
            }
            return .route(route)
        case .methodNotAllowed(let allowed, _):
            return .refused(
                Problem.response(
                    .methodNotAllowed, "This path does not support \(head.method).",
                    headers: ["Allow": allowed.joined(separator: ", ")]), isAPI: needsAuthentication)
        case .notFound:
            return .refused(Problem.response(.notFound, "No such path."), isAPI: needsAuthentication)
        }
    }

    /// Whether the request names the `Host` accepted last, compared in place, or none (which is
    /// always accepted).
    private func namesAcceptedHost(_ headers: RequestFields) -> Bool {
        headers.withValue(ofSingle: "Host") { host, _ in
            guard let host else { return true }
            guard let acceptedHost else { return false }
            return host.isExactly(acceptedHost)
        }
    }

    /// 429 for a client throttled for failed logins (before anything is compared), 400 for more
    /// than one `Authorization` field (which one would count is anyone's guess), 401 for missing
    /// or wrong credentials, nil to go on.
    private func authenticate(_ headers: RequestFields, from client: (any Transport)?) -> Response? {
        if let throttled = loginRefusal(for: client) { return throttled }
        var repeated = false
        let failure = headers.withValue(ofSingle: "Authorization") { authorization, count -> Authenticator.Failure? in
            repeated = count > 1
            guard let authorization, !repeated else { return .missing }
            return authenticator.check(authorization)
        }
        if repeated { return Problem.response(.badRequest, "The request has more than one Authorization field.") }
        if let throttled = loginChecked(failure, from: client) { return throttled }
        guard let failure else { return nil }
        return Problem.response(
            .unauthorized, failure.rawValue, headers: ["WWW-Authenticate": #"Basic realm="pipeline""#])
    }

    private static func misdirected(_ host: String) -> Response {
        Problem.response(
            BrowserSafety.misdirected,
            "This server does not answer for the host \"\(Excerpt.of(host))\"; "
                + "if it is one of the server's names, start the server with --allowed-host NAME.")
    }

    /// `reply` with the fields every `/v1` answer carries, as lines serialised once.
    private static func markedAsAPI(_ reply: consuming Reply) -> Reply {
        switch consume reply {
        case .response(let response): .response(markedAsAPI(response))
        case .stream(let head, let attach): .stream(head: markedAsAPI(head), attach: attach)
        }
    }

    private static func markedAsAPI(_ response: consuming Response) -> Response {
        response.fixedLines = BrowserSafety.apiResponseLines
        return response
    }
}
