/// An object key of up to 16 bytes packed into two integers, so that finding a known field
/// among an object's members compares integers, not strings. The reader packs every key once;
/// longer keys share one "uncoded" value and are told apart by their bytes.
package struct JSONKey: Hashable, Sendable, CustomStringConvertible {
    private var head: UInt64 = 0
    private var tail: UInt64 = 0
    /// 0–16, or `uncodedLength` for a longer key.
    private var length: UInt8

    private static let uncodedLength = UInt8.max
    static let uncoded = JSONKey(length: uncodedLength)

    private init(length: UInt8) {
        self.length = length
    }

    /// The code of `bytes`, or `uncoded` when it is longer than 16 bytes.
    init(bytes: ArraySlice<UInt8>) {
        guard bytes.count <= 16 else {
            self = .uncoded
            return
        }
        length = UInt8(bytes.count)
        var shift: UInt64 = 0
        for byte in bytes.prefix(8) {
            head |= UInt64(byte) << shift
            shift += 8
        }
        shift = 0
        for byte in bytes.dropFirst(8) {
            tail |= UInt64(byte) << shift
            shift += 8
        }
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
