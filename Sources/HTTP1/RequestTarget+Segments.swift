extension RequestTarget {
    /// Whether a raw (still percent-encoded) path segment names `literal`, where a percent-encoded
    /// unreserved character equals the character (RFC 3986 §6.2.2.2: `%68ealthz` is `healthz`).
    /// An escape of any other byte (`%2F`) is not the character it encodes, so it never matches a
    /// literal. Compares in place: nothing is allocated, and a segment without `%` is a plain
    /// byte comparison, which is what nearly every request has.
    package static func segment(_ raw: Substring, equals literal: [UInt8]) -> Bool {
        let bytes = raw.utf8.span
        var offset = 0
        var matched = 0
        while offset < bytes.count {
            var byte = bytes[offset]
            if byte == ASCII.percent {
                guard offset + 2 < bytes.count, let high = hexValue(bytes[offset + 1]),
                    let low = hexValue(bytes[offset + 2])
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
