import Testing

@testable import HTTP1

/// The request-target and field values are scanned eight bytes at a time: every byte value, at
/// every place in a word, must still be judged by its byte class.
struct WordScanTests {
    /// A target long enough for several words, with `byte` at `position`, is accepted exactly
    /// when the byte may be in a target.
    @Test func everyByteAtEveryPlaceOfATargetIsJudgedByItsClass() {
        for position in 1..<40 {
            for value in 0...255 {
                var target = Array(repeating: UInt8(ascii: "a"), count: 40)
                target[0] = ASCII.slash
                target[position] = UInt8(value)
                let request = Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
                let accepted = parsedHead(request) != nil
                #expect(accepted == isTargetByte(UInt8(value)), "byte \(value) at \(position)")
            }
        }
    }

    /// A field value long enough for several words, with `byte` at `position`, is accepted
    /// exactly when the byte may be in a field value, and kept as sent.
    @Test func everyByteAtEveryPlaceOfAFieldValueIsJudgedByItsClass() {
        for position in 1..<39 {
            for value in 0...255 {
                var fieldValue = Array(repeating: UInt8(ascii: "a"), count: 40)
                fieldValue[position] = UInt8(value)
                let request = Array("GET / HTTP/1.1\r\nHost: h\r\nX: ".utf8) + fieldValue + Array("\r\n\r\n".utf8)
                let head = parsedHead(request)
                #expect((head != nil) == isFieldValueByte(UInt8(value)), "byte \(value) at \(position)")
                if let head, value < 0x80 {
                    #expect(head.headers["x"] == String(decoding: fieldValue, as: UTF8.self))
                }
            }
        }
    }

    /// A word the fast path passes holds only bytes of the class; on plain filler it is exact.
    @Test func wordTestsNeverPassAByteOutsideTheirClass() {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<200_000 {
            // Mostly printable bytes, so that passing words are common.
            var word: UInt64 = 0
            for lane in 0..<8 {
                let byte =
                    generator.next() % 5 == 0
                    ? UInt8(truncatingIfNeeded: generator.next()) : 0x20 + UInt8(generator.next() % 0x60)
                word |= UInt64(byte) << UInt64(lane * 8)
            }
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64($0 * 8)) }
            if isTargetWord(word) { #expect(bytes.allSatisfy(isTargetByte)) }
            if isPlainValueWord(word) { #expect(bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }) }
        }
        for lane in 0..<8 {
            for value in 0...255 {
                var word: UInt64 = 0x6161_6161_6161_6161  // "aaaaaaaa"
                word &= ~(0xFF << UInt64(lane * 8))
                word |= UInt64(value) << UInt64(lane * 8)
                #expect(isTargetWord(word) == isTargetByte(UInt8(value)))
                #expect(isPlainValueWord(word) == (value >= 0x20 && value < 0x7F))
            }
        }
    }

    /// The head of `request` fed in one piece, or nil when it is refused.
    private func parsedHead(_ request: [UInt8]) -> RequestHead? {
        var parser = RequestParser()
        guard case .head(let head) = parser.parse(request.span).event else { return nil }
        return head
    }
}

/// A small deterministic generator, so a failure repeats.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
