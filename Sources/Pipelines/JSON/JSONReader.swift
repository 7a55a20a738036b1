/// Our own strict JSON reader (RFC 8259): one pass over the bytes, no Foundation, and every
/// rejection carries the byte offset. It refuses what a lenient decoder would silently resolve:
/// repeated keys, nesting deeper than `maxDepth`, invalid UTF-8, lone surrogate escapes.
package struct JSONReader {
    /// Deepest nesting accepted: the outermost value is level 1 and each `{` or `[` opens one more.
    package static let maxDepth = 64

    let bytes: [UInt8]
    var position = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses exactly one JSON value filling `bytes` (surrounding whitespace allowed).
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.parseValue()
        reader.skipWhitespace()
        guard reader.position == bytes.count else {
            throw reader.error("unexpected data after the JSON value")
        }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpectedByte(expecting: "a JSON value")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if try consumeIf(UInt8(ascii: "}")) {
            depth -= 1
            return .object(members)
        }
        var seenKeys: Set<String> = []
        while true {
            guard position < bytes.count else { throw error("unexpected end of input") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw unexpectedByte(expecting: "a string key")
            }
            let keyOffset = position
            let key = try parseString()
            if isDuplicate(key, in: members, seen: &seenKeys) {
                throw JSONSyntaxError(offset: keyOffset, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), expecting: "':' after an object key")
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if try consumeIf(UInt8(ascii: "}")) { break }
            try expect(UInt8(ascii: ","), expecting: "',' or '}'")
            skipWhitespace()
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if try consumeIf(UInt8(ascii: "]")) {
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if try consumeIf(UInt8(ascii: "]")) { break }
            try expect(UInt8(ascii: ","), expecting: "',' or ']'")
            skipWhitespace()
        }
        depth -= 1
        return .array(elements)
    }

    /// Keys compare by their UTF-8 bytes (RFC 8259 compares code units), not by Unicode
    /// canonical equivalence. Small objects scan linearly; large ones use a set as a filter.
    private func isDuplicate(
        _ key: String, in members: [(key: String, value: JSONValue)], seen: inout Set<String>
    ) -> Bool {
        if members.count < 16 {
            // `==` rejects most keys fast; the byte comparison decides canonical look-alikes.
            return members.contains { $0.key == key && $0.key.utf8.elementsEqual(key.utf8) }
        }
        if seen.isEmpty { seen = Set(members.map(\.key)) }
        guard !seen.insert(key).inserted else { return false }
        return members.contains { $0.key.utf8.elementsEqual(key.utf8) }
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw error("nesting deeper than \(Self.maxDepth) levels")
        }
        position += 1
    }

    // MARK: - Numbers and literals

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = position
        _ = try consumeIf(UInt8(ascii: "-"))
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw unexpectedByte(expecting: "a digit")
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error("leading zeros are not allowed in numbers")
            }
        } else {
            skipDigits()
        }
        if try consumeIf(UInt8(ascii: ".")) {
            try requireDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigits()
        }
        return JSONNumber(literal: String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func requireDigits() throws(JSONSyntaxError) {
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw unexpectedByte(expecting: "a digit")
        }
        skipDigits()
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private mutating func expectLiteral(_ word: String) throws(JSONSyntaxError) {
        let start = position
        for expected in word.utf8 {
            guard position < bytes.count, bytes[position] == expected else {
                throw JSONSyntaxError(offset: start, reason: "invalid literal (expected \(word))")
            }
            position += 1
        }
    }

    // MARK: - Helpers

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func consumeIf(_ byte: UInt8) throws(JSONSyntaxError) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ byte: UInt8, expecting what: String) throws(JSONSyntaxError) {
        guard try consumeIf(byte) else { throw unexpectedByte(expecting: what) }
    }

    func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    func unexpectedByte(expecting what: String) -> JSONSyntaxError {
        guard position < bytes.count else { return error("unexpected end of input, expected \(what)") }
        let byte = bytes[position]
        let shown = byte >= 0x21 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return error("unexpected \(shown), expected \(what)")
    }

    func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
