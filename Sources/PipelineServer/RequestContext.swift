import HTTP1

/// A complete request as a handler sees it: head, decoded path parameters, query and body.
struct RequestContext {
    let head: RequestHead
    let body: [UInt8]
    unowned let server: Server
    var parameters: [String: String] = [:]
    var query: [(name: String, value: String)] = []

    init(head: RequestHead, body: [UInt8], server: Server) {
        self.head = head
        self.body = body
        self.server = server
    }

    /// The last value of a query parameter, if present.
    func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}
