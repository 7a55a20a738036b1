/// Strong entity tags for stored documents and the `If-Match` / `If-None-Match` comparisons
/// (RFC 9110 §8.8.3, §13.1), kept here so the server and the registry agree on the format.
package enum EntityTag {
    /// The quoted tag for a document version, e.g. `"1f"`.
    package static func forVersion(_ version: UInt64) -> String {
        // Built on the stack: every GET answers with this tag, and a version's tag (at most 18
        // bytes, 3 for a young document) needs no heap storage of its own.
        let digits = max(1, (64 - version.leadingZeroBitCount + 3) / 4)
        var bytes = InlineArray<18, UInt8>(repeating: UInt8(ascii: "\""))
        for position in 0..<digits {
            bytes[1 + position] = Hex.digit(
                UInt8(truncatingIfNeeded: version >> UInt64((digits - 1 - position) * 4)) & 0xF)
        }
        guard let text = try? UTF8Span(validating: bytes.span.extracting(0..<(digits + 2))) else { return "" }
        return String(copying: text)  // quotes and hex digits: always valid UTF-8
    }

    /// `If-Match`: `*` or a list of tags, compared strongly (a weak `W/` tag never matches).
    package static func ifMatch(_ header: String, matches current: String) -> Bool {
        listMatches(header) { $0 == current }
    }

    /// `If-None-Match` on GET: compared weakly, so `W/"x"` matches `"x"`. True means "not modified".
    package static func ifNoneMatch(_ header: String, matches current: String) -> Bool {
        listMatches(header) { tag in
            (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == current
        }
    }

    private static func listMatches(_ header: String, _ matches: (String) -> Bool) -> Bool {
        let trimmed = header.trimmingOWS()
        if trimmed == "*" { return true }
        return trimmed.split(separator: ",").contains { matches(String($0).trimmingOWS()) }
    }
}

extension String {
    /// Drops HTTP optional whitespace (spaces and tabs) at both ends.
    fileprivate func trimmingOWS() -> String {
        let isOWS = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isOWS($0) }), let last = lastIndex(where: { !isOWS($0) })
        else { return "" }
        return String(self[first...last])
    }
}
