/// Where a JSON text stops being valid, with the position a person needs to fix it.
///
/// The CLI refuses to send a `--data` body that is not JSON; this error is what it tells the user.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset (from 0) of the first byte that cannot be part of valid JSON.
    public var offset: Int
    /// Line of that byte, counting from 1 (lines end with `\n`).
    public var line: Int
    /// Column of that byte within its line, in Unicode scalars, counting from 1.
    public var column: Int
    /// What was expected or found there, as a short phrase.
    public var reason: String

    /// Creates an error at a position; the checker builds these, tests compare against them.
    public init(offset: Int, line: Int, column: Int, reason: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// A sentence such as `line 2, column 7 (byte 19): expected ':' after an object key`.
    public var description: String {
        "line \(line), column \(column) (byte \(offset)): \(reason)"
    }
}

/// A strict RFC 8259 syntax check that also reports the raw byte ranges of values.
///
/// It exists so the CLI can reject malformed input before any request is sent and splice pages of a
/// listing together without re-serialising them (a round trip through `Double` would change
/// numbers the server keeps exactly, such as `1e400`). It does not build a value tree.
public enum JSONSyntax {
    /// Deepest nesting the checker follows; it only guards the CLI's own stack, the server enforces
    /// the API's smaller limit.
    static let maxDepth = 512

    /// Checks that `bytes` hold exactly one JSON value (surrounding whitespace allowed).
    public static func validate(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        var scanner = JSONScanner(bytes)
        _ = try scanner.scanDocument()
    }

    /// The members of a top-level JSON object as (raw key bytes, raw value range), in order, or
    /// `nil` when `bytes` are not a valid JSON object.
    package static func objectMembers(_ bytes: [UInt8]) -> [(key: Range<Int>, value: Range<Int>)]? {
        var scanner = JSONScanner(bytes)
        guard let root = try? scanner.scanDocument(), bytes[root.lowerBound] == UInt8(ascii: "{") else {
            return nil
        }
        return scanner.members
    }

    /// The raw ranges of the elements of the JSON array occupying `range` of `bytes`, or `nil` when
    /// that range is not a valid JSON array.
    package static func arrayElements(_ bytes: [UInt8], in range: Range<Int>) -> [Range<Int>]? {
        var scanner = JSONScanner(Array(bytes[range]))
        guard let root = try? scanner.scanDocument(), scanner.bytes[root.lowerBound] == UInt8(ascii: "[") else {
            return nil
        }
        return scanner.elements.map { ($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound) }
    }
}

/// Recursive-descent scanner behind `JSONSyntax`; records the outermost container's children.
struct JSONScanner {
    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// Key and value ranges of the outermost object's members.
    var members: [(key: Range<Int>, value: Range<Int>)] = []
    /// Ranges of the outermost array's elements.
    var elements: [Range<Int>] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func scanDocument() throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let root = try scanValue()
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected \(found) after the JSON value") }
        return root
    }

    private mutating func scanValue() throws(JSONSyntaxError) -> Range<Int> {
        let start = index
        guard index < bytes.count else { throw failure("expected a JSON value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try scanObject()
        case UInt8(ascii: "["): try scanArray()
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw failure("expected a JSON value, found \(found)")
        }
        return start..<index
    }

    private mutating func scanObject() throws(JSONSyntaxError) {
        try enterContainer()
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            guard peek == UInt8(ascii: "\"") else { throw failure("expected a string object key, found \(found)") }
            let keyStart = index
            try scanString()
            let key = keyStart..<index
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after an object key, found \(found)") }
            index += 1
            skipWhitespace()
            let value = try scanValue()
            if depth == 1 { members.append((key, value)) }
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            if peek == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            throw failure("expected ',' or '}' after an object member, found \(found)")
        }
    }

    private mutating func scanArray() throws(JSONSyntaxError) {
        try enterContainer()
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            let value = try scanValue()
            if depth == 1 { elements.append(value) }
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            if peek == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            throw failure("expected ',' or ']' after an array element, found \(found)")
        }
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONSyntax.maxDepth { throw failure("nested deeper than \(JSONSyntax.maxDepth) levels") }
    }

    private mutating func scanString() throws(JSONSyntaxError) {
        index += 1  // opening quote
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                try scanEscape()
            case 0x00..<0x20:
                throw failure("control character U+\(hex(byte)) must be escaped inside a string")
            case 0x80...:
                try scanUTF8Sequence()
            default:
                index += 1
            }
        }
        throw failure("unterminated string, found end of input")
    }

    private mutating func scanEscape() throws(JSONSyntaxError) {
        index += 1
        guard let byte = peek else { throw failure("unterminated escape, found end of input") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            for _ in 0..<4 {
                guard let digit = peek, isHexDigit(digit) else {
                    throw failure("expected 4 hex digits after \\u, found \(found)")
                }
                index += 1
            }
        default:
            index -= 1
            throw failure("invalid escape sequence \\\(Unicode.Scalar(byte).escaped(asASCII: true))")
        }
    }

    /// Accepts one well-formed UTF-8 sequence starting at `index` (non-ASCII lead byte).
    private mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
        var decoder = Unicode.UTF8.ForwardParser()
        var iterator = bytes[index...].makeIterator()
        switch decoder.parseScalar(from: &iterator) {
        case .valid(let encoded): index += encoded.count
        default: throw failure("invalid UTF-8 byte 0x\(hex(bytes[index]))")
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let expected = literal.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard peek == byte else { throw failure("expected '\(literal)', found \(found)") }
            index += 1
        }
    }

    private mutating func scanNumber() throws(JSONSyntaxError) {
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else {
            try scanDigits(after: "a number's sign")
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            try scanDigits(after: "a decimal point")
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            try scanDigits(after: "an exponent")
        }
    }

    private mutating func scanDigits(after context: String) throws(JSONSyntaxError) {
        guard let first = peek, isDigit(first) else {
            throw failure("expected a digit after \(context), found \(found)")
        }
        while let byte = peek, isDigit(byte) { index += 1 }
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The byte at `index` described for a message: `'x'`, `byte 0xC3` or `end of input`.
    private var found: String {
        guard let byte = peek else { return "end of input" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Unicode.Scalar(byte))'" }
        return "byte 0x\(hex(byte))"
    }

    private func failure(_ reason: String) -> JSONSyntaxError {
        let offset = min(index, bytes.count)
        let lineStart = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].count(where: { $0 == UInt8(ascii: "\n") }) + 1
        // Columns count scalars: every byte that is not a UTF-8 continuation byte starts one.
        let column = bytes[lineStart..<offset].count(where: { $0 & 0xC0 != 0x80 }) + 1
        return JSONSyntaxError(offset: offset, line: line, column: column, reason: reason)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
