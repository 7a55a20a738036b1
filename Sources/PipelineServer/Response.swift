import HTTP1

/// A complete response produced by a handler; the connection adds framing headers
/// (`Date`, `Content-Length`, `Connection`) when it serialises the head.
package struct Response: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(status: HTTPStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body with the API's content type.
    package static func json(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = [:]) -> Response {
        var all: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]
        for field in headers { all.add(name: field.name, value: field.value) }
        return Response(status: status, headers: all, body: body)
    }
}

/// What a handler hands back: a finished response, or a stream that stays open (Server-Sent Events).
enum Reply {
    case response(Response)
    /// Streams start with `head` and then receive chunks pushed by `attach` until the client leaves.
    case stream(head: Response, attach: (EventStreamSink) -> Void)
}

/// A finished error response can be the failure of a decoding step (`Result<T, Response>`),
/// which keeps handlers flat: decode, or return the problem as it is.
extension Response: Error {}
