/// A request-target split for routing: the path (split on `/` before percent-decoding, so an
/// encoded `%2F` stays inside its segment) and the query items. Parsing is lazy and cheap; the
/// router decodes only what it matches.
package struct RequestTarget {
    /// The path as sent (still percent-encoded); "/" for an absolute-form target without a path,
    /// "*" for the asterisk form, the whole target for authority-form.
    package let path: Substring
    /// The query as sent (without `?` and without any fragment), or nil if there was no `?`.
    package let query: Substring?
    /// The path's segments for routing, compared and decoded in place; split in the same pass
    /// that finds the path's end.
    package let pathSegments: PathSegments

    /// Splits `target` (from `RequestHead.target`) into path and query; drops a fragment. One pass
    /// over the bytes finds where the path ends, whether it has an escape and where its segments are.
    package init(_ target: String) {
        let bytes = target.utf8.span
        var pathStart = 0
        if bytes.count > 0, bytes[0] != ASCII.slash, hasHTTPScheme(target) {
            pathStart = bytes[4] == ASCII.colon ? 7 : 8  // past `http://` or `https://`
            while pathStart < bytes.count, !isPathEnd(bytes[pathStart]), bytes[pathStart] != ASCII.slash {
                pathStart += 1
            }
        }
        var pathEnd = pathStart
        var escaped = false
        var bounds = PathSegments.Bounds()
        while pathEnd < bytes.count {
            let byte = bytes[pathEnd]
            if isPathEnd(byte) { break }
            if byte == ASCII.percent { escaped = true }
            if byte == ASCII.slash { bounds.slash(at: pathEnd - pathStart) }
            pathEnd += 1
        }
        bounds.end(at: pathEnd - pathStart)
        // The whole target is the path for nearly every request: taken without slicing, as
        // making a slice's indices costs more than the scan.
        var path = pathStart == 0 && pathEnd == bytes.count ? Substring(target) : target.utf8Slice(pathStart..<pathEnd)
        if pathStart > 0 && pathStart == pathEnd {
            path = "/"  // absolute-form without a path: `http://host?q`
            bounds = PathSegments.Bounds()
        }
        self.path = path
        pathSegments = PathSegments(path, mayHaveEscapes: escaped, bounds: bounds)
        if pathEnd < bytes.count && bytes[pathEnd] == ASCII.question {
            var queryEnd = pathEnd + 1
            while queryEnd < bytes.count && bytes[queryEnd] != ASCII.hash { queryEnd += 1 }
            query = target.utf8Slice((pathEnd + 1)..<queryEnd)
        } else {
            query = nil
        }
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
            guard let segment = RequestTarget.percentDecoded(part) else { return nil }
            decoded.append(segment)
        }
        return decoded
    }

    /// The query's `name=value` items in order, split on `&` and the first `=`, each side
    /// percent-decoded with `+` meaning space (HTML form encoding); empty items are skipped and an
    /// item without `=` has an empty value. Nil if an item is malformed.
    package var queryItems: [(name: String, value: String)]? {
        guard let query else { return [] }
        var items: [(name: String, value: String)] = []
        for item in query.split(separator: "&") {
            let equals = item.firstIndex(of: "=")
            let rawName = item[..<(equals ?? item.endIndex)]
            let rawValue = equals.map { item[item.index(after: $0)...] } ?? ""
            guard let name = RequestTarget.percentDecoded(rawName, plusIsSpace: true),
                let value = RequestTarget.percentDecoded(rawValue, plusIsSpace: true)
            else { return nil }
            items.append((name, value))
        }
        return items
    }

    /// The first value of the query item called `name` (exact match), or nil.
    package func queryValue(_ name: String) -> String? {
        queryItems?.first { $0.name == name }?.value
    }

    /// Decodes `%XX` escapes (and `+` as space when `plusIsSpace`); nil for a malformed escape or
    /// a result that is not valid UTF-8.
    package static func percentDecoded(_ text: Substring, plusIsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        if !needsDecoding(utf8.span, plusIsSpace: plusIsSpace) { return String(text) }
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

/// Whether `bytes` has a `%` (or a `+` that means space): nearly every segment and query item has
/// neither, and is then taken as it is.
private func needsDecoding(_ bytes: Span<UInt8>, plusIsSpace: Bool) -> Bool {
    for index in bytes.indices {
        let byte = bytes[index]
        if byte == ASCII.percent || plusIsSpace && byte == ASCII.plus { return true }
    }
    return false
}

/// `?` or `#`, either of which ends the path.
private func isPathEnd(_ byte: UInt8) -> Bool {
    byte == ASCII.question || byte == ASCII.hash
}

extension String {
    /// The characters at UTF-8 `offsets`, which fall on ASCII bytes.
    fileprivate func utf8Slice(_ offsets: Range<Int>) -> Substring {
        let start = utf8.index(startIndex, offsetBy: offsets.lowerBound)
        return self[start..<utf8.index(start, offsetBy: offsets.count)]
    }
}
