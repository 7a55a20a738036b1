import HTTP1

/// A complete response produced by a handler; the connection adds framing headers
/// (`Date`, `Content-Length`, `Connection`) when it serialises the head.
package struct Response: Sendable {
    /// The status line and fields to serialise (the connection adds the framing fields). Kept
    /// whole, so writing a response borrows its head rather than assembling a copy of each part.
    var head: ResponseHead
    package var body: [UInt8]

    package var status: HTTPStatus {
        get { head.status }
        set { head.status = newValue }
    }
    package var headers: HTTPHeaders {
        get { head.headers }
        set { head.headers = newValue }
    }
    /// The `ETag` field (`ResponseHead.entityTag`), written after `headers`.
    package var entityTag: String? {
        get { head.entityTag }
        set { head.entityTag = newValue }
    }
    /// Field lines written after `headers` as they are (`ResponseHead.fixedLines`): the ones every
    /// `/v1` answer carries.
    var fixedLines: [UInt8] {
        get { head.fixedLines }
        set { head.fixedLines = newValue }
    }

    package init(status: HTTPStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        head = ResponseHead(status: status, headers: headers)
        self.body = body
    }

    /// A body of `contentType`, which comes first among the headers.
    package init(status: HTTPStatus, contentType: String, headers: HTTPHeaders = [:], body: [UInt8]) {
        self.init(
            status: status, contentType: HTTPHeaders.Field(name: "Content-Type", value: contentType), headers, body)
    }

    private init(status: HTTPStatus, contentType: HTTPHeaders.Field, _ headers: HTTPHeaders, _ body: [UInt8]) {
        var all = HTTPHeaders()
        all.reserveCapacity(1 + headers.count)
        all.add(contentType)
        for field in headers { all.add(field) }
        self.init(status: status, headers: all, body: body)
    }

    /// A JSON body with the API's content type.
    package static func json(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = [:]) -> Response {
        Response(status: status, contentType: jsonContentType, headers, body)
    }

    /// A JSON body with the API's content type and an `ETag`: the content type's list is shared by
    /// every such answer, and the tag needs none, so building this allocates nothing.
    package static func json(_ status: HTTPStatus, _ body: [UInt8], etag: String) -> Response {
        var response = Response(status: status, headers: jsonHeaders, body: body)
        response.entityTag = etag
        return response
    }

    /// A problem details body (RFC 9457).
    static func problem(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = [:]) -> Response {
        Response(status: status, contentType: problemContentType, headers, body)
    }

    /// The two content types nearly every answer has, serialised once.
    private static let jsonContentType = HTTPHeaders.Field.constant(
        name: "Content-Type", value: "application/json; charset=utf-8")
    private static let problemContentType = HTTPHeaders.Field.constant(
        name: "Content-Type", value: "application/problem+json")
    /// The JSON content type alone, as a list built once.
    private static let jsonHeaders: HTTPHeaders = {
        var headers = HTTPHeaders()
        headers.add(jsonContentType)
        return headers
    }()
}

/// What a handler hands back: a finished response, or a stream that stays open (Server-Sent Events).
enum Reply {
    case response(Response)
    /// Streams start with `head` and then receive chunks pushed by `attach` until the client leaves.
    case stream(head: Response, attach: (EventStreamSink) -> Void)
}
