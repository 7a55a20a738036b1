/// A request-target split for routing: the path (split on `/` before percent-decoding, so an
/// encoded `%2F` stays inside its segment) and the query items. Parsing is lazy and cheap; the
/// router decodes only what it matches.
package struct RequestTarget {
    /// The buffer the target is in: a request head's, shared rather than copied.
    private let bytes: [UInt8]
    /// Where the path is in `bytes`; empty for an absolute-form target without a path, whose
    /// path is "/".
    private let pathRange: Range<Int>
    /// Where the query is in `bytes` (without `?` and any fragment), or nil if there was no `?`.
    private let queryRange: Range<Int>?
    /// The path's segments for routing, compared and decoded in place; split in the same pass
    /// that finds the path's end.
    package let pathSegments: PathSegments

    /// Splits a request's target, read in place from the head's buffer.
    package init(_ head: borrowing RequestHead) {
        self.init(bytes: head.bytes.bytes, range: 0..<head.bytes.targetCount)
    }

    /// Splits `target` (a request-target's text) into path and query; drops a fragment.
    package init(_ target: String) {
        let bytes = Array(target.utf8)
        self.init(bytes: bytes, range: 0..<bytes.count)
    }

    /// One pass over `bytes[range]` finds where the path ends, whether it has an escape and where
    /// its segments are.
    private init(bytes: [UInt8], range: Range<Int>) {
        let span = bytes.span
        var pathStart = range.lowerBound
        if range.count > 0, span[pathStart] != ASCII.slash, hasHTTPScheme(span.extracting(range)) {
            pathStart += span[pathStart + 4] == ASCII.colon ? 7 : 8  // past `http://` or `https://`
            while pathStart < range.upperBound, !isPathEnd(span[pathStart]), span[pathStart] != ASCII.slash {
                pathStart += 1
            }
        }
        var pathCount = 0
        var escaped = false
        var bounds = PathSegments.Bounds()
        let rest = span.extracting(pathStart..<range.upperBound)  // walked by its own indices
        while pathCount < rest.count {
            let byte = rest[pathCount]
            if isPathSpecial(byte) {
                if isPathEnd(byte) { break }
                if byte == ASCII.percent { escaped = true }
                if byte == ASCII.slash { bounds.slash(at: pathCount) }
            }
            pathCount += 1
        }
        bounds.end(at: pathCount)
        let pathEnd = pathStart + pathCount
        if pathStart > range.lowerBound && pathStart == pathEnd {
            bounds = PathSegments.Bounds()  // absolute-form without a path: `http://host?q`
        }
        self.bytes = bytes
        pathRange = pathStart..<pathEnd
        pathSegments = PathSegments(bytes, start: pathStart, mayHaveEscapes: escaped, bounds: bounds)
        if pathEnd < range.upperBound && span[pathEnd] == ASCII.question {
            var queryEnd = pathEnd + 1
            while queryEnd < range.upperBound && span[queryEnd] != ASCII.hash { queryEnd += 1 }
            queryRange = (pathEnd + 1)..<queryEnd
        } else {
            queryRange = nil
        }
    }

    /// The path as sent (still percent-encoded); "/" for an absolute-form target without a path,
    /// "*" for the asterisk form, the whole target for authority-form.
    package var path: String {
        pathRange.isEmpty ? "/" : String(decoding: bytes[pathRange], as: UTF8.self)
    }

    /// Whether the path is one (starts with `/`): not the asterisk or authority form.
    package var isOriginPath: Bool {
        pathRange.isEmpty || bytes[pathRange.lowerBound] == ASCII.slash
    }

    /// The query as sent (without `?` and without any fragment), or nil if there was no `?`.
    package var query: String? {
        queryRange.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// The path's segments, each percent-decoded, or nil if one has a malformed `%` escape or
    /// decodes to invalid UTF-8 (answer 400). The leading `/` starts no segment and a trailing `/`
    /// adds none, so `/a/b/` and `/a/b` give the same `["a", "b"]`; `/` gives `[]`.
    package var segments: [String]? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first?.isEmpty == true { parts.removeFirst() }
        if parts.last?.isEmpty == true { parts.removeLast() }
        var decoded: [String] = []
        decoded.reserveCapacity(parts.count)
        for part in parts {
            let bytes = Array(part.utf8)
            guard let segment = RequestTarget.percentDecoded(bytes.span, 0..<bytes.count) else { return nil }
            decoded.append(segment)
        }
        return decoded
    }

    /// The query's `name=value` items in order, split on `&` and the first `=`, each side
    /// percent-decoded with `+` meaning space (HTML form encoding); empty items are skipped and an
    /// item without `=` has an empty value. Nil if an item is malformed.
    package var queryItems: [(name: String, value: String)]? {
        guard let queryRange else { return [] }
        let span = bytes.span
        var items: [(name: String, value: String)] = []
        var itemStart = queryRange.lowerBound
        while itemStart < queryRange.upperBound {
            var itemEnd = itemStart
            var equals: Int?
            while itemEnd < queryRange.upperBound && span[itemEnd] != ASCII.ampersand {
                if equals == nil && span[itemEnd] == ASCII.equals { equals = itemEnd }
                itemEnd += 1
            }
            if itemEnd > itemStart {
                let nameEnd = equals ?? itemEnd
                let valueStart = equals.map { $0 + 1 } ?? itemEnd
                guard let name = RequestTarget.percentDecoded(span, itemStart..<nameEnd, plusIsSpace: true),
                    let value = RequestTarget.percentDecoded(span, valueStart..<itemEnd, plusIsSpace: true)
                else { return nil }
                items.append((name, value))
            }
            itemStart = itemEnd + 1
        }
        return items
    }

    /// The first value of the query item called `name` (exact match), or nil.
    package func queryValue(_ name: String) -> String? {
        queryItems?.first { $0.name == name }?.value
    }

    /// Decodes the `%XX` escapes of `bytes[range]` (and `+` as space when `plusIsSpace`); nil for
    /// a malformed escape or a result that is not valid UTF-8.
    static func percentDecoded(_ bytes: Span<UInt8>, _ range: Range<Int>, plusIsSpace: Bool = false) -> String? {
        if !needsDecoding(bytes.extracting(range), plusIsSpace: plusIsSpace) { return makeString(bytes, range) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            index += 1
            if byte == ASCII.plus && plusIsSpace {
                decoded.append(ASCII.space)
            } else if byte == ASCII.percent {
                guard index + 1 < range.upperBound, let high = hexValue(bytes[index]),
                    let low = hexValue(bytes[index + 1])
                else { return nil }
                index += 2
                decoded.append(UInt8(high << 4 | low))
            } else {
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }
}

/// Whether `bytes` has a `%` (or a `+` that means space): nearly every segment and query item has
/// neither, and is then taken as it is.
private func needsDecoding(_ bytes: Span<UInt8>, plusIsSpace: Bool) -> Bool {
    for index in bytes.indices {
        let byte = bytes[index]
        if byte == ASCII.percent || plusIsSpace && byte == ASCII.plus { return true }
    }
    return false
}

/// `/`, `%`, `?` and `#`, the bytes a path scan acts on, as a mask of bytes 0–63 (all four are
/// below 64): the scan tests every other byte with one shift.
private let pathSpecialBytes: UInt64 = 1 << 0x2F | 1 << 0x25 | 1 << 0x3F | 1 << 0x23

@inline(__always)
private func isPathSpecial(_ byte: UInt8) -> Bool {
    byte < 64 && (pathSpecialBytes >> UInt64(byte)) & 1 == 1
}

/// `?` or `#`, either of which ends the path.
private func isPathEnd(_ byte: UInt8) -> Bool {
    byte == ASCII.question || byte == ASCII.hash
}
