/// What a request head keeps of its bytes, in one allocation: the request-target, then each field
/// line as its name's byte count and its value's (two bytes each, little-endian), its name and its
/// value (without the surrounding whitespace).
///
/// Why one buffer: a head made of a `String` target and an array of `String` name/value pairs cost
/// an allocation for each string longer than 15 bytes (the target and the `Authorization` value of
/// nearly every API request) plus the array, and as much again to release them. Here the parser
/// copies each piece once, and the target and fields are read in place; a `String` is made only
/// when one is asked for. The counts fit two bytes because the parser refuses a header section
/// larger than `HTTPLimits.maxHeaderBytes`, which `RequestParser.Settings` keeps below 64 KiB.
struct HeadBytes: Sendable, Equatable {
    private(set) var bytes: [UInt8] = []
    /// The request-target is `bytes[0..<targetCount]`; the field lines follow.
    private(set) var targetCount = 0
    private(set) var fieldCount = 0

    /// An empty head: no target, no fields.
    init() {}

    /// Starts a head with its request-target, making room for the field lines that are likely to
    /// follow (`expectedCount` bytes in all), so a typical head is copied into one allocation.
    init(target: Span<UInt8>, expectedCount: Int) {
        bytes.reserveCapacity(max(expectedCount, target.count))
        bytes.append(copying: target)
        targetCount = target.count
    }

    /// Appends one field line: `name` and `value` are byte ranges of `source`.
    mutating func appendField(_ source: Span<UInt8>, name: Range<Int>, value: Range<Int>) {
        precondition(name.count <= Int(UInt16.max) && value.count <= Int(UInt16.max), "a field outgrew its counts")
        bytes.append(UInt8(truncatingIfNeeded: name.count))
        bytes.append(UInt8(truncatingIfNeeded: name.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value.count))
        bytes.append(UInt8(truncatingIfNeeded: value.count >> 8))
        bytes.append(copying: source.extracting(name))
        bytes.append(copying: source.extracting(value))
        fieldCount += 1
    }

    /// Calls `body` with the request-target's bytes, borrowed in place.
    func withTargetBytes<T>(_ body: (Span<UInt8>) -> T) -> T {
        body(bytes.span.extracting(0..<targetCount))
    }

    /// The request-target as a `String` (its bytes are visible ASCII, checked by the parser).
    var target: String {
        String(decoding: bytes[0..<targetCount], as: UTF8.self)
    }

    /// The field line at `offset` (the first is at `targetCount`, each next one at the previous
    /// one's `next`) as name and value ranges of `bytes`; nil past the last.
    func field(at offset: Int) -> (name: Range<Int>, value: Range<Int>, next: Int)? {
        guard offset < bytes.count else { return nil }
        let nameCount = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        let valueCount = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
        let valueStart = offset + 4 + nameCount
        return (offset + 4..<valueStart, valueStart..<(valueStart + valueCount), valueStart + valueCount)
    }
}

extension Array where Element == UInt8 {
    /// Appends a copy of `source`.
    mutating func append(copying source: Span<UInt8>) {
        // Sound: the pointer is lent for the call only, and `append` copies from it before it ends.
        unsafe source.withUnsafeBufferPointer { unsafe append(contentsOf: $0) }
    }
}
