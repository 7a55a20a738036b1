import HTTP1

/// The rules that keep a web page from using a visitor's browser against the API (API.md
/// "Browsers"). Browsers send HTTP Basic credentials they remember on their own, and reach a
/// loopback server from any page: a DNS-rebinding page (`evil.example` re-resolved to 127.0.0.1)
/// is refused by the `Host` check, a cross-site form or `fetch` that writes by the `Origin`
/// check, and a body a browser may send cross-site without asking (`text/plain`, a form) by the
/// JSON-only rule. Each check reads the head alone, so `Expect: 100-continue` can refuse early.
///
/// The checks compare bytes in place and allocate nothing: the `Host` check runs on every
/// request.
enum BrowserSafety {
    /// What no `Host` rule can forbid: the names of this machine's loopback interface, always
    /// accepted (compared without brackets: `[::1]` is `::1`).
    static let loopbackNames = ["localhost", "127.0.0.1", "::1"]

    static let misdirected = HTTPStatus(code: 421, reason: "Misdirected Request")

    /// Added to every `/v1` response: its JSON is never to be sniffed as another type, nor kept
    /// in a cache (it is the account's data).
    static let apiResponseFields: [HTTPHeaders.Field] = [
        HTTPHeaders.Field(name: "X-Content-Type-Options", value: "nosniff"),
        HTTPHeaders.Field(name: "Cache-Control", value: "no-store"),
    ]

    /// Whether a request may be served under the `Host` it names. Without any `Host` (HTTP/1.0)
    /// it may: browsers always send one. Bound to loopback, the name must be a loopback name or
    /// one of `allowedHosts`; bound elsewhere, any name is accepted unless `allowedHosts` lists
    /// some, and then it must be one of those, a loopback name or the bound address. The port
    /// is not compared: a rebinding page controls the name, not the port the browser reached.
    static func acceptsHost(_ host: String?, _ configuration: ServerConfiguration) -> Bool {
        guard let host else { return true }
        if configuration.allowedHosts.isEmpty && !configuration.bindsLoopbackOnly { return true }
        guard let name = HostName.name(in: Substring(host)) else { return false }
        return loopbackNames.contains { HostName.equals(name, $0) }
            || configuration.allowedHosts.contains { HostName.equals(name, $0) }
            || HostName.equals(name, configuration.host)
    }

    /// Whether a write's `Origin` is another site's: it names a host (and port) other than the
    /// request's `Host`, or is `null` (sandboxed frames, some redirects). Without `Origin` (curl,
    /// the CLI, any non-browser client) a write is not cross-site.
    static func isCrossSite(origin: String?, host: String?) -> Bool {
        guard let origin else { return false }
        guard let host, let separator = origin.utf8.firstRange(of: "://".utf8) else { return true }
        let scheme = origin[..<separator.lowerBound]
        let defaultPort: Substring = HostName.equals(scheme, "https") ? "443" : "80"
        let authority = origin[separator.upperBound...]
        guard let originName = HostName.name(in: authority), let hostName = HostName.name(in: Substring(host)) else {
            return true
        }
        let originPort = HostName.port(in: authority) ?? defaultPort
        let hostPort = HostName.port(in: Substring(host)) ?? defaultPort
        return !(HostName.equals(originName, hostName) && originPort == hostPort)
    }

    /// Whether a `Content-Type` value is JSON: `application/json` or `application/…+json`, any
    /// case, parameters (`; charset=utf-8`) ignored.
    static func isJSON(contentType: String) -> Bool {
        let value = Substring(contentType)
        let end = value.utf8.firstIndex { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let mediaType = value[..<(end ?? value.endIndex)]
        guard let slash = mediaType.utf8.firstIndex(of: UInt8(ascii: "/")) else { return false }
        let type = mediaType[..<slash]
        let subtype = mediaType[mediaType.utf8.index(after: slash)...]
        guard HostName.equals(type, "application") else { return false }
        return HostName.equals(subtype, "json")
            || (subtype.utf8.count > 5 && HostName.equals(subtype.suffix(5), "+json"))
    }

    /// The refusal of a write that a browser could have sent for another site: 403 for a
    /// cross-site `Origin`, 415 for a body type other than JSON. Reads (GET, HEAD) pass.
    static func refusal(ofWrite head: RequestHead) -> Response? {
        guard head.method != "GET", head.method != "HEAD" else { return nil }
        if isCrossSite(origin: head.headers["Origin"], host: head.headers["Host"]) {
            return Problem.response(
                .forbidden, "A cross-site request may not write here: its Origin does not match the Host it was sent to.")
        }
        for field in head.headers where asciiCaseInsensitiveEquals(field.name, "Content-Type") {
            guard isJSON(contentType: field.value) else {
                return Problem.response(
                    .unsupportedMediaType,
                    "A request body must be JSON, sent as Content-Type: application/json (with curl: --json '{…}').")
            }
        }
        return nil
    }
}

/// Host names as they appear in `Host` and `Origin`: split from their port, compared ignoring
/// ASCII case, in place.
enum HostName {
    /// The name of `host[:port]`, `[v6]` without its brackets; nil when the port is not digits
    /// or a bracket is not closed.
    static func name(in authority: Substring) -> Substring? {
        let utf8 = authority.utf8
        if utf8.first == UInt8(ascii: "[") {
            guard let close = utf8.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let afterClose = utf8.index(after: close)
            guard isPortSuffix(authority[afterClose...]) else { return nil }
            return authority[utf8.index(after: utf8.startIndex)..<close]
        }
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return authority }
        guard isPortSuffix(authority[colon...]) else { return nil }
        return authority[..<colon]
    }

    /// The digits of the port of `host[:port]`, if it names one.
    static func port(in authority: Substring) -> Substring? {
        let utf8 = authority.utf8
        let close = utf8.lastIndex(of: UInt8(ascii: "]")) ?? utf8.startIndex
        guard let colon = authority[close...].utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let digits = authority[utf8.index(after: colon)...]
        return digits.isEmpty ? nil : digits
    }

    /// Empty, or `:` and decimal digits.
    private static func isPortSuffix(_ rest: Substring) -> Bool {
        guard let first = rest.utf8.first else { return true }
        return first == UInt8(ascii: ":") && rest.utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `name` is `other`, ignoring ASCII case; a configured `[v6]` matches without its brackets.
    static func equals(_ name: Substring, _ other: String) -> Bool {
        equals(name, Substring(other))
    }

    static func equals(_ name: Substring, _ other: Substring) -> Bool {
        var expected = other
        if expected.utf8.first == UInt8(ascii: "["), expected.utf8.last == UInt8(ascii: "]") {
            expected = expected.dropFirst().dropLast()
        }
        guard name.utf8.count == expected.utf8.count else { return false }
        return zip(name.utf8, expected.utf8).allSatisfy { lowercase($0) == lowercase($1) }
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
