import Testing

@testable import Pipelines

/// The id generator's block function against RFC 8439, and its output's basic shape.
struct ChaChaRandomTests {
    @Test func blockFunctionMatchesRFC8439TestVector() {
        // RFC 8439 §2.3.2: key 00 01 … 1f, counter 1, nonce 00:00:00:09 00:00:00:4a 00:00:00:00.
        var key: [UInt32] = []
        for word in 0..<8 {
            var value: UInt32 = 0
            for byte in 0..<4 { value |= UInt32(word * 4 + byte) << UInt32(8 * byte) }
            key.append(value)
        }
        let block = ChaChaRandom.block(key: key, counter: 1, nonce: [0x0900_0000, 0x4A00_0000, 0])
        #expect(
            block == [
                0xE4E7_F110, 0x1559_3BD1, 0x1FDD_0F50, 0xC471_20A3, 0xC7F4_D1C7, 0x0368_C033, 0x9AAA_2204, 0x4E6C_D4C3,
                0x4664_82D2, 0x09AA_9F07, 0x05D7_C214, 0xA202_8BD9, 0xD19C_12B5, 0xB94E_16DE, 0xE883_D0CB, 0x4E3C_50A2,
            ])
    }

    @Test func freshGeneratorsDifferAndValuesDoNotRepeat() {
        var first = ChaChaRandom()
        var second = ChaChaRandom()
        let values = (0..<20_000).map { _ in first.next() }
        #expect(Set(values).count == values.count)  // across several refills and a rekey
        #expect(second.next() != values[0])
    }
}
