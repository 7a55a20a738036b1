extension RequestTarget {
    /// Whether a raw (still percent-encoded) path segment names `literal`, where a percent-encoded
    /// unreserved character equals the character (RFC 3986 §6.2.2.2: `%68ealthz` is `healthz`).
    /// An escape of any other byte (`%2F`) is not the character it encodes, so it never matches a
    /// literal. Compares in place: nothing is allocated, and a segment without `%` is a plain
    /// byte comparison, which is what nearly every request has.
    package static func segment(_ raw: some StringProtocol, equals literal: [UInt8]) -> Bool {
        let bytes = Array(raw.utf8)
        return segment(bytes.span, 0..<bytes.count, equals: literal)
    }

    static func segment(_ bytes: Span<UInt8>, _ range: Range<Int>, equals literal: [UInt8]) -> Bool {
        let segment = bytes.extracting(range)  // walked by its own indices: no check per byte
        let literal = literal.span
        var offset = 0
        var matched = 0
        while offset < segment.count {
            var byte = segment[offset]
            if byte == ASCII.percent {
                guard offset + 2 < segment.count, let high = hexValue(segment[offset + 1]),
                    let low = hexValue(segment[offset + 2])
                else { return false }
                byte = UInt8(high << 4 | low)
                guard isUnreservedByte(byte) else { return false }
                offset += 3
            } else {
                offset += 1
            }
            guard matched < literal.count, literal[matched] == byte else { return false }
            matched += 1
        }
        return matched == literal.count
    }
}

/// A raw path's `/`-separated segments, split on `/` bytes before any percent-decoding (so `%2F`
/// stays inside its segment), found in one pass without allocating: the router compares and
/// decodes them in place. The leading `/` starts no segment and one trailing `/` adds none
/// (`/a/b/` is `/a/b`); `/` has none.
package struct PathSegments {
    /// The most segments kept: more than any route has, so a longer path simply matches nothing.
    package static let capacity = 8

    /// The buffer the path is in (a request head's, shared), and where the path starts in it.
    private let bytes: [UInt8]
    private let start: Int
    /// False when the path is known to have no `%`, so no segment needs a look for one.
    private let mayHaveEscapes: Bool
    /// Segment ranges, from the path's start.
    private let bounds: Bounds

    /// How many segments the path has (counted past `capacity` too).
    package var count: Int { bounds.count }

    /// No path: no segments.
    package init() {
        self.init([], start: 0, mayHaveEscapes: false, bounds: Bounds())
    }

    /// Splits `path`, which starts with `/`.
    package init(_ path: some StringProtocol) {
        let bytes = Array(path.utf8)
        var bounds = Bounds()
        for offset in bytes.indices where bytes[offset] == ASCII.slash { bounds.slash(at: offset) }
        bounds.end(at: bytes.count)
        self.init(bytes, start: 0, mayHaveEscapes: true, bounds: bounds)
    }

    /// A path at `start` in `bytes`, whose slashes were found by a caller that walked its bytes
    /// anyway (`RequestTarget`).
    init(_ bytes: [UInt8], start: Int, mayHaveEscapes: Bool, bounds: Bounds) {
        self.bytes = bytes
        self.start = start
        self.mayHaveEscapes = mayHaveEscapes
        self.bounds = bounds
    }

    /// Where a path's segments start and end, worked out as its slashes are found, in order:
    /// the leading `/` starts no segment, each later one ends one, and the path's end ends the
    /// last unless it follows a `/` (so one trailing `/` adds none, and `/` has none).
    struct Bounds {
        /// Two bytes an offset: a request's path is far shorter (the request line is limited to a
        /// few KiB), and a small `PathSegments` is copied in registers, not by `memcpy`.
        private var starts = InlineArray<8, UInt16>(repeating: 0)
        private var ends = InlineArray<8, UInt16>(repeating: 0)
        fileprivate private(set) var count = 0
        private var start = 1

        mutating func slash(at offset: Int) {
            if offset > 0 { add(start..<offset) }
            start = offset + 1
        }

        mutating func end(at offset: Int) {
            if start < offset { add(start..<offset) }
        }

        /// Segment `index`'s range, from the path's start.
        fileprivate subscript(index: Int) -> Range<Int> {
            Int(starts[index])..<Int(ends[index])
        }

        private mutating func add(_ range: Range<Int>) {
            if range.upperBound > Int(UInt16.max) {
                count = PathSegments.capacity + 1  // a path no route has: it matches nothing
                return
            }
            if count < PathSegments.capacity {
                starts[count] = UInt16(range.lowerBound)
                ends[count] = UInt16(range.upperBound)
            }
            count += 1
        }
    }

    /// Whether segment `index` is empty (`//` in a path).
    package func isEmpty(_ index: Int) -> Bool { bounds[index].isEmpty }

    /// Whether segment `index` names `literal` (see `RequestTarget.segment(_:equals:)`).
    package func segment(_ index: Int, equals literal: [UInt8]) -> Bool {
        RequestTarget.segment(bytes.span, range(index), equals: literal)
    }

    /// Segment `index` percent-decoded, or nil if it has a malformed escape or is not UTF-8.
    package func decoded(_ index: Int) -> String? {
        RequestTarget.percentDecoded(bytes.span, range(index))
    }

    /// Whether segment `index` decodes: no malformed escape, UTF-8 once decoded. A segment without
    /// `%` (nearly all) is checked without decoding it.
    package func isDecodable(_ index: Int) -> Bool {
        !hasEscape(index) || decoded(index) != nil
    }

    private func hasEscape(_ index: Int) -> Bool {
        guard mayHaveEscapes else { return false }
        let bytes = self.bytes.span
        for offset in range(index) where bytes[offset] == ASCII.percent { return true }
        return false
    }

    /// Calls `body` with segment `index`'s bytes as sent (still percent-encoded), borrowed in
    /// place: no `String` or slice is made.
    package func withRawBytes<T>(_ index: Int, _ body: (Span<UInt8>) -> T) -> T {
        body(bytes.span.extracting(range(index)))
    }

    /// Where segment `index` is in `bytes`.
    private func range(_ index: Int) -> Range<Int> {
        let relative = bounds[index]
        return (start + relative.lowerBound)..<(start + relative.upperBound)
    }
}
