import HTTP1

/// A complete request as a handler sees it: head, decoded path parameters, query and body.
///
/// A class: the request passes from the connection through routing to a handler and back, and a
/// struct of this many strings and arrays paid a reference count on each of them for every copy.
final class RequestContext {
    let head: RequestHead
    let body: [UInt8]
    /// Decoded path parameters, in pattern order (at most three: a small array beats a dictionary).
    var parameters: [(name: String, value: String)] = []
    var query: [(name: String, value: String)] = []
    /// The connection it came over, for the few routes that ask who the client is
    /// (`peerAddress`); nil in tests that build a request by hand.
    let transport: (any Transport)?

    init(head: RequestHead, body: [UInt8], transport: (any Transport)? = nil) {
        self.head = head
        self.body = body
        self.transport = transport
    }

    /// The decoded path parameter `name` (every route declares the parameters it reads).
    func parameter(_ name: String) -> String {
        parameters.first { $0.name == name }?.value ?? ""
    }

    /// The last value of a query parameter, if present.
    func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}
