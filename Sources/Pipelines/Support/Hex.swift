/// Hexadecimal digits, spelled in one place for the whole module: ids, ETags, list cursors and
/// JSON `\u` escapes are written with them, ids, cursors, URL hosts and `\u` escapes are read
/// with them, and the JSON reader names a bad byte with them. One place, so a writer and the
/// reader of the same text can never disagree about which bytes are digits.
enum Hex {
    /// Appends the lowest `digits` hex digits of `value`, most significant first, in lower case
    /// (the canonical spelling of everything this service issues).
    static func append(_ value: UInt64, digits: Int, to bytes: inout [UInt8]) {
        // Room for all digits first, then plain stores: an id is 32 digits, and appending them
        // one by one paid a capacity and uniqueness check for each.
        bytes.append(addingCapacity: digits) { output in
            var shift = (digits - 1) * 4
            while shift >= 0 {
                output.append(digit(UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF))
                shift -= 4
            }
        }
    }

    /// A byte as two upper-case digits (`1F`), the way error messages show bytes: `0x1F`.
    static func text(of byte: UInt8) -> String {
        let upper = { (nibble: UInt8) in nibble < 10 ? digit(nibble) : digit(nibble) - 0x20 }
        return String(decoding: [upper(byte >> 4), upper(byte & 0xF)], as: UTF8.self)
    }

    /// The value of a hex digit in either case, or nil: for text a person may type (`\u00E9`, an
    /// IPv6 host, a list cursor).
    static func value(of byte: UInt8) -> UInt8? {
        if let value = lowercaseValue(of: byte) { return value }
        guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "F") else { return nil }
        return byte - UInt8(ascii: "A") + 10
    }

    /// The value of a lower-case hex digit, or nil: ids are issued in lower case only, so an
    /// upper-case spelling is not one of them.
    static func lowercaseValue(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// True for `[0-9A-Fa-f]`.
    static func isDigit(_ byte: UInt8) -> Bool {
        value(of: byte) != nil
    }

    /// The lower-case digit for a value below 16.
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
