/// A request-target split for routing: the raw path segments (split on `/` *before*
/// percent-decoding, so an encoded `%2F` stays inside its segment) and the decoded query items.
/// The router decodes only the segments it binds, with `PercentDecoding`.
package struct RequestTarget: Sendable {
    /// The path as sent (still percent-encoded); "/" for an absolute-form target without a path.
    package var path: Substring
    /// The path split on `/`, still percent-encoded. The leading `/` starts no segment, so `/`
    /// gives `[]` and `/a/b/` gives `["a", "b", ""]` (the router treats a trailing empty segment
    /// as the same route).
    package var pathSegments: [Substring]
    /// The query's `name=value` items in order, split on `&` and the first `=`, each side
    /// percent-decoded with `+` as space (HTML form encoding); empty items are skipped, an item
    /// without `=` has an empty value.
    package var queryItems: [(name: String, value: String)]

    /// Splits an origin-form or absolute-form target (from `RequestHead.target`) and drops any
    /// fragment; nil for `*`, authority-form, or a query with a malformed `%` escape (answer 400).
    package init?(_ target: String) {
        var rest = Substring(target)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if hasHTTPScheme(target), let colon = rest.firstIndex(of: ":") {
            let authorityStart = rest.index(colon, offsetBy: 3)  // past "://"
            let pathStart = rest[authorityStart...].firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            rest = rest[pathStart...]
            if rest.first != "/" { rest = Substring("/" + rest) }
        }
        guard rest.first == "/" else { return nil }
        let question = rest.firstIndex(of: "?")
        path = rest[..<(question ?? rest.endIndex)]
        pathSegments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if pathSegments == [""] { pathSegments = [] }
        queryItems = []
        guard let question else { return }
        for item in rest[rest.index(after: question)...].split(separator: "&") {
            let equals = item.firstIndex(of: "=")
            let rawValue = equals.map { item[item.index(after: $0)...] } ?? ""
            guard let name = PercentDecoding.decode(item[..<(equals ?? item.endIndex)], plusIsSpace: true),
                  let value = PercentDecoding.decode(rawValue, plusIsSpace: true) else { return nil }
            queryItems.append((name, value))
        }
    }
}

/// Percent-decoding (RFC 3986 §2.1) for path parameters and query items, kept apart from
/// splitting so a decoded `/` can never create a path segment.
package enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusIsSpace`); nil for a malformed escape or
    /// a result that is not valid UTF-8.
    package static func decode(_ text: Substring, plusIsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(ASCII.percent) && !(plusIsSpace && utf8.contains(ASCII.plus)) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if byte == ASCII.plus && plusIsSpace {
                bytes.append(ASCII.space)
            } else if byte == ASCII.percent {
                guard index != utf8.endIndex, let high = hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
                guard index != utf8.endIndex, let low = hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
                bytes.append(UInt8(high << 4 | low))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
