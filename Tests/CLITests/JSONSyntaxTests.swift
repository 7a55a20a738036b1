import PipelineClient
import Testing

/// The local `--data` check accepts exactly RFC 8259 JSON and points at the first bad byte.
struct JSONSyntaxTests {
    static let valid = [
        #"{}"#, #"[]"#, #" {"a": [1, -2.5e+3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"]} "#,
        #"{"k8s": {"big": 123456789012345678901234567890, "huge": 1e400}}"#, "\"é😀\"", "0", "-0.0E-0",
    ]

    @Test(arguments: valid)
    func acceptsValidJSON(_ text: String) throws {
        try JSONSyntax.validate(Array(text.utf8))
    }

    static let invalid: [(text: String, offset: Int, reason: String)] = [
        ("", 0, "expected a JSON value, found end of input"),
        ("{\"a\": 1,}", 8, "expected a string object key, found '}'"),
        ("{\"a\" 1}", 5, "expected ':' after an object key, found '1'"),
        ("[1 2]", 3, "expected ',' or ']' after an array element, found '2'"),
        ("{\"a\": 01}", 7, "expected ',' or '}' after an object member, found '1'"),
        ("[1.]", 3, "expected a digit after a decimal point, found ']'"),
        ("[-]", 2, "expected a digit after a number's sign, found ']'"),
        ("[tru]", 4, "expected 'true', found ']'"),
        ("\"a\u{01}\"", 2, "control character U+01 must be escaped inside a string"),
        ("\"\\x\"", 1, "invalid escape sequence \\x"),
        ("\"\\u12g4\"", 5, "expected 4 hex digits after \\u, found 'g'"),
        ("\"abc", 4, "unterminated string, found end of input"),
        ("{} {}", 3, "unexpected '{' after the JSON value"),
        ("{'a': 1}", 1, "expected a string object key, found '''"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidJSONAtTheFirstBadByte(_ text: String, offset: Int, reason: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONSyntax.validate(Array(text.utf8)) }
        do {
            try JSONSyntax.validate(Array(text.utf8))
        } catch {
            #expect(error.offset == offset)
            #expect(error.reason == reason)
        }
    }

    @Test func reportsLineAndColumnCountingCharactersNotBytes() {
        let text = "{\n  \"név\": \"é\" x\n}"
        #expect(
            throws: JSONSyntaxError(
                offset: 17, line: 2, column: 14, reason: "expected ',' or '}' after an object member, found 'x'")
        ) {
            try JSONSyntax.validate(Array(text.utf8))
        }
    }

    @Test func rejectsInvalidUTF8InsideAString() {
        #expect(throws: JSONSyntaxError(offset: 2, line: 1, column: 3, reason: "invalid UTF-8 byte 0xC3")) {
            try JSONSyntax.validate([0x22, 0x61, 0xC3, 0x28, 0x22])
        }
    }

    @Test func rejectsNestingBeyondTheCheckersLimitWithoutCrashing() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONSyntax.validate(deep) }
    }

    @Test func describesThePositionForPeople() {
        let error = JSONSyntaxError(offset: 19, line: 2, column: 7, reason: "expected ':' after an object key")
        #expect(error.description == "line 2, column 7 (byte 19): expected ':' after an object key")
    }
}
