/// A pipeline's identity, under which the registry stores it.
package typealias PipelineID = Identifier<PipelineEntry>

/// A run's identity, under which the run book keeps it.
package typealias RunID = Identifier<Run>

/// A UUID held as two integers, so the tables keyed by ids hash 16 bytes instead of
/// 36-character strings. `Subject` is what the id names and is never stored: it only keeps a run
/// id from being passed where a pipeline id is expected, and the other way round.
package struct Identifier<Subject>: Hashable, Sendable, CustomStringConvertible {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh random (version 4, RFC 9562) identifier.
    package static func random(using generator: inout some RandomNumberGenerator) -> Identifier {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return Identifier(
            high: high & ~0xF000 | 0x4000,  // version 4 in byte 6
            low: low & ~(UInt64(0xC0) << 56) | (UInt64(0x80) << 56)  // variant 10xx in byte 8
        )
    }

    /// Parses the canonical lowercase form only (`8-4-4-4-12` hex digits); any other spelling
    /// is not an id we issued, so lookups with it find nothing and `GET` never returns an `id`
    /// that differs from the path.
    package init?(_ text: String) {
        guard let (high, low) = canonicalUUID(text.utf8.span) else { return nil }
        self.init(high: high, low: low)
    }

    /// Parses UTF-8 bytes the same way, so a path segment is read in place, with no `String` made.
    package init?(utf8 bytes: Span<UInt8>) {
        guard let (high, low) = canonicalUUID(bytes) else { return nil }
        self.init(high: high, low: low)
    }

    /// The canonical lowercase form, e.g. `a0305992-931e-4dc0-aa2b-893116f6542e`.
    package var description: String {
        // Built on the stack: a trigger answer names two or three ids, and a heap buffer per id
        // cost more than the digits.
        let text = canonicalText
        guard let utf8 = try? UTF8Span(validating: text.span) else { return "" }
        return String(copying: utf8)  // hex digits and hyphens: always valid UTF-8
    }

    /// Appends the canonical form to `bytes`; JSON bodies write ids this way, with no `String`
    /// in between.
    func append(to bytes: inout [UInt8]) {
        let text = canonicalText
        bytes.append(addingCapacity: text.count) { output in
            for index in text.indices { output.append(text[index]) }
        }
    }

    /// The 36 bytes of the canonical form, `8-4-4-4-12` lower-case hex digits, each group
    /// written from its last digit back.
    private var canonicalText: InlineArray<36, UInt8> {
        var text = InlineArray<36, UInt8>(repeating: UInt8(ascii: "-"))
        func write(_ value: UInt64, to end: Int, digits: Int) {
            var rest = value
            for offset in (end - digits..<end).reversed() {
                text[offset] = Hex.digit(UInt8(truncatingIfNeeded: rest) & 0xF)
                rest >>= 4
            }
        }
        write(high >> 32, to: 8, digits: 8)
        write(high >> 16, to: 13, digits: 4)
        write(high, to: 18, digits: 4)
        write(low >> 48, to: 23, digits: 4)
        write(low, to: 36, digits: 12)
        return text
    }
}

/// The two halves of a canonical UUID, or nil. Not generic, so a caller in another module (a
/// route parsing `{run_id}`) runs the same specialised code as the registry does.
private func canonicalUUID(_ utf8: Span<UInt8>) -> (high: UInt64, low: UInt64)? {
    guard utf8.count == 36 else { return nil }
    var high: UInt64 = 0
    var low: UInt64 = 0
    // Group by group (8-4-4-4-12), so the loop over digits tests no positions.
    guard readDigits(utf8, 0..<8, into: &high), utf8[8] == UInt8(ascii: "-"),
        readDigits(utf8, 9..<13, into: &high), utf8[13] == UInt8(ascii: "-"),
        readDigits(utf8, 14..<18, into: &high), utf8[18] == UInt8(ascii: "-"),
        readDigits(utf8, 19..<23, into: &low), utf8[23] == UInt8(ascii: "-"),
        readDigits(utf8, 24..<36, into: &low)
    else { return nil }
    return (high, low)
}

/// Shifts the lower-case hex digits at `offsets` into `value`; false at the first other byte.
private func readDigits(_ utf8: Span<UInt8>, _ offsets: Range<Int>, into value: inout UInt64) -> Bool {
    for offset in offsets {
        guard let digit = Hex.lowercaseValue(of: utf8[offset]) else { return false }
        value = value << 4 | UInt64(digit)
    }
    return true
}
