import Testing

@testable import Pipelines

/// The module's one hex helper: what it writes is what it reads back, and which bytes count as
/// digits (ids accept lower case only, typed text either case).
struct HexTests {
    @Test func writesFixedWidthLowerCaseDigits() {
        var bytes: [UInt8] = []
        Hex.append(0x1F, digits: 4, to: &bytes)
        Hex.append(0xDEAD_BEEF_0123_4567, digits: 16, to: &bytes)
        Hex.append(0xABC, digits: 2, to: &bytes)  // only the lowest digits
        #expect(String(decoding: bytes, as: UTF8.self) == "001f" + "deadbeef01234567" + "bc")
    }

    @Test func readsEveryDigitBackInEitherCase() {
        for value in UInt8(0)..<16 {
            var bytes: [UInt8] = []
            Hex.append(UInt64(value), digits: 1, to: &bytes)
            #expect(Hex.value(of: bytes[0]) == value)
            #expect(Hex.lowercaseValue(of: bytes[0]) == value)
            let upper = Array(Hex.text(of: value).utf8)[1]
            #expect(Hex.value(of: upper) == value)
        }
    }

    @Test func upperCaseIsNoLowerCaseDigitAndOtherBytesAreNoDigits() {
        #expect(Hex.lowercaseValue(of: UInt8(ascii: "A")) == nil)
        let neighbours: [UInt8] = Array("gG-/:@`".utf8) + [0x10, 0xC6]  // 0x10 | 0x20 is "0", 0xC6 & 0x7F is "F"
        for byte in neighbours {
            #expect(!Hex.isDigit(byte), "\(byte)")
        }
    }

    @Test func showsAByteAsTwoUpperCaseDigits() {
        #expect(Hex.text(of: 0x1F) == "1F")
        #expect(Hex.text(of: 0x00) == "00")
        #expect(Hex.text(of: 0xAB) == "AB")
    }
}
