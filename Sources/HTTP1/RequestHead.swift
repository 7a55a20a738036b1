/// The protocol versions the server speaks; anything else is answered with 505 by the parser.
package enum HTTPVersion: Sendable, Equatable {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case http1_0
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case http1_1
}

/// How the body of a request is delimited, decided once from the head so the connection knows
/// whether (and how) to read a body before it routes the request.
package enum BodyFraming: Sendable, Equatable {
    /// No body (no `Content-Length`, `Content-Length: 0`, or a CONNECT request).
    case none
    /// Exactly this many bytes follow the head (always > 0 and ≤ `HTTPLimits.maxBodyBytes`).
    case length(Int)
    /// A chunked body follows; its total is checked against `HTTPLimits.maxBodyBytes` as it arrives.
    case chunked
}

/// Everything the server needs from a request's start line and header section, parsed and
/// validated once by `RequestParser` so handlers never look at raw bytes. The target and the field
/// lines are kept in one buffer (`HeadBytes`) and read in place.
package struct RequestHead: Sendable, Equatable {
    /// The method token exactly as sent (methods are case-sensitive).
    package let method: String
    /// HTTP/1.0 or HTTP/1.1.
    package let version: HTTPVersion
    /// Whether the connection may carry another request after this one: the version's default
    /// (1.1 yes, 1.0 only with `Connection: keep-alive`) unless `Connection: close` says otherwise.
    /// Always false for CONNECT, whose following bytes would be tunnel data, not HTTP.
    package let keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body (`Expect: 100-continue`
    /// on an HTTP/1.1 request that has a body).
    package let expectsContinue: Bool
    /// How the body is delimited.
    package let framing: BodyFraming
    /// The request-target and the field lines.
    let bytes: HeadBytes

    /// Creates a head; the parser is the only source.
    init(
        method: String, version: HTTPVersion, bytes: HeadBytes, keepAlive: Bool, expectsContinue: Bool,
        framing: BodyFraming
    ) {
        self.method = method
        self.version = version
        self.bytes = bytes
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.framing = framing
    }

    /// The request-target as sent: origin-form (`/a/b?q`), absolute-form (`http://h/a`), `*`, or
    /// authority-form (`host:port`, CONNECT only). `RequestTarget(head)` splits and decodes it
    /// in place.
    package var target: String { bytes.target }

    /// Every field line in order, trailers not included.
    package var headers: RequestFields { RequestFields(bytes) }
}
