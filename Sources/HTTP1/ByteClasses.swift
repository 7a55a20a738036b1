// Byte classes of RFC 9110/9112 as bit masks, so the parser's scan loops test one byte with a
// shift and an AND instead of a table lookup or a chain of comparisons.

/// CR, LF, SP, HTAB and friends as named constants for readability in the scan loops.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let ampersand: UInt8 = 0x26
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let plus: UInt8 = 0x2B
    static let zero: UInt8 = 0x30
    static let del: UInt8 = 0x7F
}

/// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
/// / DIGIT / ALPHA (RFC 9110 §5.6.2), as two 64-bit masks for bytes 0–63 and 64–127.
private let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
private let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

/// Characters allowed in a Host value or an authority-form target: unreserved, pct-encoded,
/// sub-delims, ":" and the brackets of an IP literal (RFC 3986 §3.2).
private let authorityLow: UInt64 = 0x2FFF_7FF2_0000_0000
private let authorityHigh: UInt64 = 0x47FF_FFFE_AFFF_FFFE

@inline(__always)
func isTokenByte(_ byte: UInt8) -> Bool {
    if byte < 64 { return (tokenLow >> UInt64(byte)) & 1 == 1 }
    if byte < 128 { return (tokenHigh >> UInt64(byte - 64)) & 1 == 1 }
    return false
}

@inline(__always)
func isAuthorityByte(_ byte: UInt8) -> Bool {
    if byte < 64 { return (authorityLow >> UInt64(byte)) & 1 == 1 }
    if byte < 128 { return (authorityHigh >> UInt64(byte - 64)) & 1 == 1 }
    return false
}

/// field-vchar / SP / HTAB: anything but controls and DEL; obs-text (0x80–0xFF) is allowed.
@inline(__always)
func isFieldValueByte(_ byte: UInt8) -> Bool {
    // SP and visible ASCII, nearly every byte, in one unsigned comparison.
    byte &- ASCII.space < ASCII.del - ASCII.space || byte > ASCII.del || byte == ASCII.tab
}

/// Visible ASCII, the bytes a request-target may contain (no controls, no space, no non-ASCII).
@inline(__always)
func isTargetByte(_ byte: UInt8) -> Bool {
    byte > ASCII.space && byte < ASCII.del
}

@inline(__always)
func isWhitespace(_ byte: UInt8) -> Bool {
    byte == ASCII.space || byte == ASCII.tab
}

@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}

/// Value of a hexadecimal digit, or nil.
@inline(__always)
func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case 0x30...0x39: Int(byte - 0x30)
    case 0x41...0x46: Int(byte - 0x41 + 10)
    case 0x61...0x66: Int(byte - 0x61 + 10)
    default: nil
    }
}

/// unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3): the characters whose
/// percent-encoded form is equivalent to the character itself.
@inline(__always)
func isUnreservedByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: true
    default: false
    }
}

extension Span where Element == UInt8 {
    /// The offset of the first byte in `start..<stop` that is not in the class, or `stop`. The
    /// scan walks a span of just those bytes by its own indices, which needs no bounds check per
    /// byte, and keeps its index local (walking the caller's `inout` index stored it every byte).
    @inline(__always)
    func skip(from start: Int, to stop: Int, while isInClass: (UInt8) -> Bool) -> Int {
        let window = extracting(start..<stop)
        var index = 0
        while index < window.count && isInClass(window[index]) { index += 1 }
        return start + index
    }
}
