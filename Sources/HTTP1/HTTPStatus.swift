/// A response status code with its reason phrase, so handlers name statuses (`.notFound`) instead
/// of repeating numbers and the serialiser has the reason text at hand.
package struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit status code.
    package var code: Int
    /// The reason phrase written on the status line (informational only for clients).
    package var reason: String

    /// Creates a status with an explicit reason phrase.
    package init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// Creates a status with the standard reason phrase of `code` (RFC 9110 §15), or "Unknown".
    package init(code: Int) {
        self.init(code: code, reason: HTTPStatus.standardReason(for: code))
    }

    /// "404 Not Found", for logs and test messages.
    package var description: String { "\(code) \(reason)" }

    /// The reason phrase RFC 9110 registers for `code`, "Unknown" for codes it does not list.
    package static func standardReason(for code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }
}

extension HTTPStatus {
    /// 100: sent before reading the body of a request that carried `Expect: 100-continue`.
    package static let `continue` = HTTPStatus(code: 100)
    /// 200: the usual success.
    package static let ok = HTTPStatus(code: 200)
    /// 201: a resource was created (with `Location`).
    package static let created = HTTPStatus(code: 201)
    /// 202: accepted for asynchronous processing.
    package static let accepted = HTTPStatus(code: 202)
    /// 204: success without content.
    package static let noContent = HTTPStatus(code: 204)
    /// 304: the client's cached representation (`If-None-Match`) is current.
    package static let notModified = HTTPStatus(code: 304)
    /// 400: malformed request syntax or framing.
    package static let badRequest = HTTPStatus(code: 400)
    /// 401: missing or wrong credentials.
    package static let unauthorized = HTTPStatus(code: 401)
    /// 403: authenticated but not allowed.
    package static let forbidden = HTTPStatus(code: 403)
    /// 404: no such resource or route.
    package static let notFound = HTTPStatus(code: 404)
    /// 405: the path exists but not with this method (send `Allow`).
    package static let methodNotAllowed = HTTPStatus(code: 405)
    /// 406: no acceptable representation.
    package static let notAcceptable = HTTPStatus(code: 406)
    /// 408: the client was too slow to send its request.
    package static let requestTimeout = HTTPStatus(code: 408)
    /// 409: conflicts with the resource's current state.
    package static let conflict = HTTPStatus(code: 409)
    /// 411: a body without a declared length.
    package static let lengthRequired = HTTPStatus(code: 411)
    /// 412: an `If-Match` style precondition failed.
    package static let preconditionFailed = HTTPStatus(code: 412)
    /// 413: the body is larger than `HTTPLimits.maxBodyBytes`.
    package static let contentTooLarge = HTTPStatus(code: 413)
    /// 414: the request line is longer than `HTTPLimits.maxRequestLineBytes`.
    package static let uriTooLong = HTTPStatus(code: 414)
    /// 415: the body's media type is not accepted.
    package static let unsupportedMediaType = HTTPStatus(code: 415)
    /// 417: an `Expect` other than `100-continue`.
    package static let expectationFailed = HTTPStatus(code: 417)
    /// 422: well-formed content with invalid fields.
    package static let unprocessableContent = HTTPStatus(code: 422)
    /// 429: rate limited.
    package static let tooManyRequests = HTTPStatus(code: 429)
    /// 431: header section over `HTTPLimits.maxHeaderBytes` or `maxHeaderCount`.
    package static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431)
    /// 500: a bug or an unexpected failure on our side.
    package static let internalServerError = HTTPStatus(code: 500)
    /// 501: a transfer coding (or method) the server does not implement.
    package static let notImplemented = HTTPStatus(code: 501)
    /// 503: temporarily over capacity or shutting down.
    package static let serviceUnavailable = HTTPStatus(code: 503)
    /// 505: a well-formed HTTP version other than 1.0 and 1.1.
    package static let httpVersionNotSupported = HTTPStatus(code: 505)
}
