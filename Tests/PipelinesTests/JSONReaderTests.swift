import Testing

@testable import Pipelines

struct JSONReaderTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONReader.parse(Array(text.utf8))
    }

    private func rejection(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do {
            _ = try JSONReader.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    private func rejection(_ text: String) -> JSONSyntaxError? {
        rejection(Array(text.utf8))
    }

    @Test func objectMembersKeepDocumentOrder() throws {
        let value = try parse(#" { "z": 1, "a": [true, false, null], "m": {} } "#)
        let members = try #require(value.objectMembers)
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(members[1].value == .array([.bool(true), .bool(false), .null]))
        #expect(members[2].value == .object([]))
    }

    @Test func numbersKeepTheirExactLiteralText() throws {
        let value = try parse("[0, -0, 1e400, 123456789012345678901234567890, 600.0, 6E+2, -1.5e-3]")
        guard case .array(let numbers) = value else {
            Issue.record("not an array")
            return
        }
        let literals = numbers.map { value -> String in
            if case .number(let number) = value { return number.literal }
            return "?"
        }
        #expect(literals == ["0", "-0", "1e400", "123456789012345678901234567890", "600.0", "6E+2", "-1.5e-3"])
    }

    @Test func exactIntegersOnlyFromIntegerLiterals() {
        #expect(Int(exactly: JSONNumber(literal: "600")) == 600)
        #expect(Int(exactly: JSONNumber(literal: "-42")) == -42)
        #expect(Int(exactly: JSONNumber(literal: "9223372036854775807")) == Int.max)
        #expect(Int(exactly: JSONNumber(literal: "-9223372036854775808")) == Int.min)
        #expect(Int(exactly: JSONNumber(literal: "9223372036854775808")) == nil)
        #expect(Int(exactly: JSONNumber(literal: "600.0")) == nil)
        #expect(Int(exactly: JSONNumber(literal: "6e2")) == nil)
    }

    @Test func stringEscapesDecode() throws {
        let value = try parse(#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{c}\n\r\tAé€😀"))
    }

    @Test func rawMultibyteUTF8IsAccepted() throws {
        #expect(try parse("\"héllo €𝄞\"") == .string("héllo €𝄞"))
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("[1,]", 3, "expected a JSON value"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("01", 1, "leading zeros"),
        ("1.", 2, "expected a digit"),
        ("1e", 2, "expected a digit"),
        ("-", 1, "expected a digit"),
        ("+1", 0, "expected a JSON value"),
        ("tru", 0, "invalid literal"),
        ("nul", 0, "invalid literal"),
        ("{} x", 3, "unexpected data after the JSON value"),
        ("\"abc", 4, "unterminated string"),
        ("\"a\\x\"", 2, "invalid escape"),
        ("\"a\\u12g4\"", 2, "invalid \\u escape"),
        ("\"a\tb\"", 2, "control character"),
        ("\"\\ud800\"", 1, "lone high surrogate"),
        ("\"\\ud800\\u0041\"", 1, "lone high surrogate"),
        ("\"\\udc00\"", 1, "lone low surrogate"),
        ("{\"a\":1,\"b\":2,\"a\":3}", 13, "duplicate key \"a\""),
        ("[NaN]", 1, "expected a JSON value"),
    ])
    func rejectsWithOffsetAndReason(input: String, offset: Int, reason: String) throws {
        let error = try #require(rejection(input))
        #expect(error.offset == offset)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test(
        arguments: [
            ([0x22, 0xFF, 0x22], 1),  // never valid in UTF-8
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong three-byte form
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // UTF-8 encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0x61, 0xC3, 0x22], 2),  // truncated sequence
            ([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22], 3),  // after an escape
            ([0xC3, 0xA9], 0),  // outside a string
        ] as [([UInt8], Int)])
    func rejectsInvalidUTF8(bytes: [UInt8], offset: Int) throws {
        let error = try #require(rejection(bytes))
        #expect(error.offset == offset)
    }

    @Test func nestingOf64LevelsIsAcceptedAnd65Rejected() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(rejection(ok) == nil)
        let objects = String(repeating: "{\"a\":", count: 63) + "[]" + String(repeating: "}", count: 63)
        #expect(rejection(objects) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(rejection(tooDeep))
        #expect(error.offset == 64)
        #expect(error.reason.contains("64"))
    }

    @Test func duplicateKeysAreFoundInLargeObjects() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k7\":0"]
        let error = try #require(rejection("{" + members.joined(separator: ",") + "}"))
        #expect(error.reason == "duplicate key \"k7\"")
    }

    @Test func canonicallyEquivalentKeysAreDistinctKeys() throws {
        let value = try parse("{\"\u{e9}\":1,\"e\u{301}\":2}")
        #expect(value.objectMembers?.count == 2)
    }

    @Test func whitespaceAroundTheValueIsAllowed() throws {
        #expect(try parse(" \t\r\n true \n") == .bool(true))
    }
}
