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
    /// accepted (compared without brackets: `[::1]` is `::1`). Kept as bytes, compared in place.
    static let loopbackNames: [[UInt8]] = ["localhost", "127.0.0.1", "::1"].map { Array($0.utf8) }

    static let misdirected = HTTPStatus(code: 421, reason: "Misdirected Request")

    private static let jsonType = Array("application/json".utf8)

    /// Added to every `/v1` response: its JSON is never to be sniffed as another type, nor kept
    /// in a cache (it is the account's data).
    static let apiResponseLines: [UInt8] = {
        let fields: HTTPHeaders = ["X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"]
        return fields.serializedLines
    }()

    /// Whether a request may be served under the `Host` it names. Without any `Host` (HTTP/1.0)
    /// it may: browsers always send one. Bound to loopback, the name must be a loopback name or
    /// one of `allowedHosts`; bound elsewhere, any name is accepted unless `allowedHosts` lists
    /// some, and then it must be one of those, a loopback name or the bound address. The port
    /// is not compared: a rebinding page controls the name, not the port the browser reached.
    static func acceptsHost(_ host: String?, _ configuration: ServerConfiguration) -> Bool {
        guard let host else { return true }
        let bytes = host.utf8.span
        let name = HostName.name(in: bytes, from: 0)
        if let name {  // the usual case, a loopback name, is decided before the configuration is read
            for candidate in loopbackNames where HostName.equals(bytes, name, candidate.span, 0..<candidate.count) {
                return true
            }
        }
        if configuration.allowedHosts.isEmpty && !configuration.bindsLoopbackOnly { return true }
        guard let name else { return false }
        for candidate in configuration.allowedHosts where HostName.equals(bytes, name, candidate) { return true }
        return HostName.equals(bytes, name, configuration.host)
    }

    /// The `Host` field's value.
    static func host(in headers: RequestFields) -> String? {
        headers["Host"]
    }

    /// Whether a write's `Origin` is another site's: it names a host (and port) other than the
    /// request's `Host`, or is `null` (sandboxed frames, some redirects). Without `Origin` (curl,
    /// the CLI, any non-browser client) a write is not cross-site.
    static func isCrossSite(origin: String?, host: String?) -> Bool {
        guard let origin else { return false }
        guard let host else { return true }
        let originBytes = origin.utf8.span
        let hostBytes = host.utf8.span
        guard let authority = HostName.authorityStart(in: originBytes),
            let originName = HostName.name(in: originBytes, from: authority),
            let hostName = HostName.name(in: hostBytes, from: 0)
        else { return true }
        let defaultPort = HostName.equals(originBytes, 0..<(authority - 3), "https") ? 443 : 80
        let samePort =
            HostName.port(in: originBytes, after: originName) ?? defaultPort
            == HostName.port(in: hostBytes, after: hostName) ?? defaultPort
        return !(samePort && HostName.equals(originBytes, originName, hostBytes, hostName))
    }

    /// Whether a `Content-Type` value, read in place from the request head, is JSON:
    /// `application/json` or `application/…+json`, any case, parameters (`; charset=utf-8`) ignored.
    static func isJSON(contentType bytes: Span<UInt8>) -> Bool {
        if bytes.isExactly(jsonType) { return true }  // what nearly every client sends
        var end = 0
        while end < bytes.count, bytes[end] != UInt8(ascii: ";"), bytes[end] != UInt8(ascii: " "),
            bytes[end] != UInt8(ascii: "\t")
        {
            end += 1
        }
        var slash = 0
        while slash < end, bytes[slash] != UInt8(ascii: "/") { slash += 1 }
        guard slash < end, HostName.equals(bytes, 0..<slash, "application") else { return false }
        let subtype = (slash + 1)..<end
        return HostName.equals(bytes, subtype, "json")
            || (subtype.count > 5 && HostName.equals(bytes, (end - 5)..<end, "+json"))
    }

    /// The refusal of a write that a browser could have sent for another site: 403 for a
    /// cross-site `Origin`, 415 for a body type other than JSON. Reads (GET, HEAD) pass.
    static func refusal(ofWrite head: RequestHead) -> Response? {
        guard head.method != "GET", head.method != "HEAD" else { return nil }
        if let origin = head.headers["Origin"], isCrossSite(origin: origin, host: host(in: head.headers)) {
            return Problem.response(
                .forbidden,
                "A cross-site request may not write here: its Origin does not match the Host it was sent to.")
        }
        guard head.headers.allValues(named: "Content-Type", satisfy: { isJSON(contentType: $0) }) else {
            return Problem.response(
                .unsupportedMediaType,
                "A request body must be JSON, sent as Content-Type: application/json (with curl: --json '{…}').")
        }
        return nil
    }
}

extension Span where Element == UInt8 {
    /// Whether these bytes are exactly `other`'s (case-sensitive).
    func isExactly(_ other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        for index in indices where self[index] != other[index] { return false }
        return true
    }
}

/// Host names as they appear in `Host` and `Origin`, read in place from the value's UTF-8
/// bytes (positions, not copies): split from their port, compared ignoring ASCII case.
enum HostName {
    /// Where the authority of an origin `scheme://host[:port]` starts, just past `://`.
    static func authorityStart(in bytes: Span<UInt8>) -> Int? {
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"),
                bytes[index + 2] == UInt8(ascii: "/")
            {
                return index + 3
            }
            index += 1
        }
        return nil
    }

    /// The name of `host[:port]` starting at `start` (`[v6]` without its brackets); nil when
    /// the port is not digits or a bracket is not closed.
    static func name(in bytes: Span<UInt8>, from start: Int) -> Range<Int>? {
        if start < bytes.count, bytes[start] == UInt8(ascii: "[") {
            var close = start + 1
            while close < bytes.count, bytes[close] != UInt8(ascii: "]") { close += 1 }
            guard close < bytes.count, isPortSuffix(bytes, from: close + 1) else { return nil }
            return (start + 1)..<close
        }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
        return isPortSuffix(bytes, from: end) ? start..<end : nil
    }

    /// The port after the name at `name` (past a `]`), if one is given; `name(in:from:)` has
    /// checked that only `:` and digits follow. Clamped, so a long digit string is no port.
    static func port(in bytes: Span<UInt8>, after name: Range<Int>) -> Int? {
        var index = name.upperBound
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
        guard index + 1 < bytes.count else { return nil }  // no port, or an empty one
        var port = 0
        for position in (index + 1)..<bytes.count {
            port = min(port * 10 + Int(bytes[position] - UInt8(ascii: "0")), 100_000)
        }
        return port
    }

    /// Nothing, or `:` and decimal digits, from `start` to the end.
    private static func isPortSuffix(_ bytes: Span<UInt8>, from start: Int) -> Bool {
        guard start < bytes.count else { return true }
        guard bytes[start] == UInt8(ascii: ":") else { return false }
        for index in (start + 1)..<bytes.count
        where bytes[index] < UInt8(ascii: "0") || bytes[index] > UInt8(ascii: "9") {
            return false
        }
        return true
    }

    /// Whether the name at `range` is `other` (a configured name; `[v6]` matches without brackets).
    static func equals(_ bytes: Span<UInt8>, _ range: Range<Int>, _ other: String) -> Bool {
        let expected = other.utf8.span
        var otherRange = 0..<expected.count
        if expected.count >= 2, expected[0] == UInt8(ascii: "["), expected[expected.count - 1] == UInt8(ascii: "]") {
            otherRange = 1..<(expected.count - 1)
        }
        return equals(bytes, range, expected, otherRange)
    }

    /// Whether two byte ranges are equal ignoring ASCII case.
    static func equals(_ bytes: Span<UInt8>, _ range: Range<Int>, _ other: Span<UInt8>, _ otherRange: Range<Int>)
        -> Bool
    {
        guard range.count == otherRange.count else { return false }
        for offset in 0..<range.count
        where lowercase(bytes[range.lowerBound + offset]) != lowercase(other[otherRange.lowerBound + offset]) {
            return false
        }
        return true
    }

    /// ASCII lower case; other bytes unchanged.
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
