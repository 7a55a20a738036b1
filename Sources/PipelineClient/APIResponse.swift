import Foundation

/// What the server answered, kept as raw bytes so the CLI can print the body unchanged.
public struct APIResponse: Sendable, Equatable {
    /// The HTTP status code, e.g. 201.
    public var status: Int
    /// The body exactly as received (empty for bodiless answers).
    public var body: Data
    /// The `ETag` field, sent with a pipeline's document; `--if-match` hands it back.
    public var etag: String?

    /// Creates a response from its parts; the client builds these, tests may too.
    public init(status: Int, body: Data, etag: String? = nil) {
        self.status = status
        self.body = body
        self.etag = etag
    }

    /// Whether the status is 2xx, which is what makes the CLI exit 0.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Why no HTTP answer could be obtained; the CLI maps every case to its "cannot reach" exit code.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made or broke (refused, unknown host, TLS failure, reset …).
    case cannotConnect(url: String, reason: String)
    /// The server accepted the connection but did not answer within the timeout.
    case timedOut(url: String, seconds: Double)
    /// The server answered something that is not the API's shape (e.g. a page without a cursor).
    case unexpectedResponse(url: String, reason: String)

    /// A one-line message for standard error.
    public var description: String {
        switch self {
        case .cannotConnect(let url, let reason): "cannot connect to \(url): \(reason)"
        case .timedOut(let url, let seconds): "no answer from \(url) within \(seconds.formatted()) s"
        case .unexpectedResponse(let url, let reason): "unexpected answer from \(url): \(reason)"
        }
    }
}

/// The user name and password sent with HTTP Basic authentication on every `/v1` request.
public struct BasicCredentials: Sendable, Equatable {
    /// The account name; must not contain `:` (Basic authentication cannot carry it).
    public var username: String
    /// The account password, sent only in the `Authorization` header.
    public var password: String

    /// Pairs a user name with its password.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The `Authorization` header value, `Basic base64(username:password)`.
    public var headerValue: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Percent-encoding for the pieces of a request target, so user input can never change the path.
public enum URLEncoding {
    /// Encodes `value` as one path segment: everything but RFC 3986 unreserved characters is
    /// escaped, so a stage named `a/b` becomes `a%2Fb` and `..` cannot climb the path.
    public static func pathSegment(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            if isUnreserved(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        if encoded == "." || encoded == ".." { encoded = encoded.replacingOccurrences(of: ".", with: "%2E") }
        return encoded
    }

    /// Encodes one query parameter value the same strict way (`&`, `=`, `+` and space escaped).
    public static func queryValue(_ value: String) -> String { pathSegment(value) }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
