import HTTP1
import Pipelines

/// A request as a handler sees it: head, decoded path parameters, query and body. The connection
/// makes it when the head arrives and adds the body as it is read.
///
/// A class: the request passes from the connection through routing to a handler and back, and a
/// struct of this many strings and arrays paid a reference count on each of them for every copy.
final class RequestContext {
    let head: RequestHead
    /// Filled by the connection as the body arrives; complete once the request reaches a handler.
    var body: [UInt8] = []
    /// The routed path, whose segments hold the route's parameters: left as sent until a handler
    /// reads one, so a request allocates nothing for them. Read only once `route` is set.
    private var path = PathSegments()
    /// The route that matched `path`: it knows which segment holds which parameter.
    private var route: Router.Route?
    var query: [(name: String, value: String)] = []
    /// The connection it came over, for the few routes that ask who the client is
    /// (`peerAddress`); nil in tests that build a request by hand.
    let transport: (any Transport)?
    /// The route `Server.preflight` found from the head, for a request with a body.
    let preflighted: Server.Preflighted?

    init(head: RequestHead, transport: (any Transport)? = nil, preflighted: Server.Preflighted? = nil) {
        self.head = head
        self.transport = transport
        self.preflighted = preflighted
    }

    /// Hands the request the route that matched `path`, for `parameter` and `identifier`.
    func routed(_ route: Router.Route, path: PathSegments) {
        self.path = path
        self.route = route
    }

    /// The decoded path parameter `name` (every route declares the parameters it reads).
    func parameter(_ name: String) -> String {
        guard let segment = segment(of: name) else { return "" }
        return path.decoded(segment) ?? ""
    }

    /// The path parameter `name` read as an id, in place (a canonical id has no `%`, so the
    /// segment as sent is tried first, with no `String` made); nil when it is not a canonical id
    /// (`PipelineID(_:)`) as sent or decoded.
    func identifier<Subject>(_ name: String) -> Identifier<Subject>? {
        guard let segment = segment(of: name) else { return nil }
        return path.withRawBytes(segment) { Identifier(utf8: $0) } ?? path.decoded(segment).flatMap { Identifier($0) }
    }

    private func segment(of parameter: String) -> Int? {
        route?.parameters.first { $0.name == parameter }?.segment
    }

    /// The last value of a query parameter, if present.
    func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}
