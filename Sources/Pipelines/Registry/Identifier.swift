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
            high: high & ~0xF000 | 0x4000,                          // version 4 in byte 6
            low: low & ~(UInt64(0xC0) << 56) | (UInt64(0x80) << 56)  // variant 10xx in byte 8
        )
    }

    /// Parses the canonical lowercase form only (`8-4-4-4-12` hex digits); any other spelling
    /// is not an id we issued, so lookups with it find nothing and `GET` never returns an `id`
    /// that differs from the path.
    package init?(_ text: String) {
        let utf8 = text.utf8.span  // a borrowed view: no per-byte iterator overhead on lookups
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for offset in utf8.indices {
            let byte = utf8[offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = Hex.lowercaseValue(of: byte) else { return nil }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
        self.init(high: high, low: low)
    }

    /// The canonical lowercase form, e.g. `a0305992-931e-4dc0-aa2b-893116f6542e`.
    package var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical form to `bytes`; JSON bodies write ids this way, with no `String`
    /// in between.
    func append(to bytes: inout [UInt8]) {
        Hex.append(high >> 32, digits: 8, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(high >> 16, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(high, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(low >> 48, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(low, digits: 12, to: &bytes)
    }
}
