/// An object key of up to 16 bytes packed into two integers, so that finding a known field
/// among an object's members compares integers, not strings. The reader packs every key once;
/// longer keys share one "uncoded" value and are told apart by their bytes.
package struct JSONKey: Hashable, Sendable, CustomStringConvertible {
    private var head: UInt64 = 0
    private var tail: UInt64 = 0
    /// 0–16, or `uncodedLength` for a longer key.
    private var length: UInt8

    private static let uncodedLength = UInt8.max
    /// The code shared by keys longer than 16 bytes (and by tokens that are not keys).
    static var uncoded: JSONKey { JSONKey() }

    /// `uncoded`, as an initializer so a token's default needs no global.
    init() {
        length = Self.uncodedLength
    }

    /// The code of `bytes`, or `uncoded` when it is longer than 16 bytes.
    init(bytes: ArraySlice<UInt8>) {
        self.init(bytes.span)
    }

    /// The code of `bytes`, or `uncoded` when it is longer than 16 bytes.
    init(_ bytes: Span<UInt8>) {
        guard bytes.count <= 16 else {
            self.init()
            return
        }
        var head: UInt64 = 0
        var tail: UInt64 = 0
        for offset in 0..<min(bytes.count, 8) {
            head |= UInt64(bytes[offset]) << UInt64(offset * 8)
        }
        for offset in min(bytes.count, 8)..<bytes.count {
            tail |= UInt64(bytes[offset]) << UInt64((offset - 8) * 8)
        }
        self.init(head: head, tail: tail, length: UInt8(bytes.count))
    }

    private init(head: UInt64, tail: UInt64, length: UInt8) {
        self.head = head
        self.tail = tail
        self.length = length
    }

    /// The code of a field name known in advance (at most 16 bytes of UTF-8).
    package init(_ name: String) {
        precondition(name.utf8.count <= 16, "JSONKey names are at most 16 bytes")
        self.init(bytes: Array(name.utf8)[...])
    }

    /// The key's text (empty for an uncoded key), for error messages.
    package var description: String {
        guard length != Self.uncodedLength else { return "" }
        let bytes = (0..<Int(length)).map { offset in
            UInt8(truncatingIfNeeded: offset < 8 ? head >> (offset * 8) : tail >> ((offset - 8) * 8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
