/// Our own strict JSON reader (RFC 8259): one pass over the bytes, no Foundation, and every
/// rejection carries the byte offset. It refuses what a lenient decoder would silently resolve:
/// repeated keys, nesting deeper than `maxDepth`, invalid UTF-8, lone surrogate escapes.
/// It writes a `JSONTape`; `parse(_:)` turns that into a `JSONValue` tree.
package struct JSONReader {
    /// Deepest nesting accepted: the outermost value is level 1 and each `{` or `[` opens one more.
    package static let maxDepth = 64

    /// Where the next byte is read; the input itself is passed to each step as a span.
    var position = 0
    var depth = 0
    var tape: JSONTape

    private init(tape: JSONTape) {
        self.tape = tape
    }

    /// Reads exactly one JSON value filling `bytes` (surrounding whitespace allowed).
    package static func tape(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONTape {
        var reader = JSONReader(tape: JSONTape(input: bytes))
        guard bytes.count < UInt32.max else { throw reader.error("input larger than 4 GiB") }
        let input = bytes.span
        reader.skipWhitespace(input)
        try reader.parseValue(input)
        reader.skipWhitespace(input)
        guard reader.position == input.count else {
            throw reader.error("unexpected data after the JSON value")
        }
        return reader.tape
    }

    /// Parses exactly one JSON value filling `bytes` into a tree.
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try tape(bytes).value(at: 0)
    }

    // MARK: - Values

    mutating func parseValue(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        guard position < input.count else { throw error("unexpected end of input") }
        let start = position
        switch input[position] {
        case UInt8(ascii: "{"): try parseObject(input)
        case UInt8(ascii: "["): try parseArray(input)
        case UInt8(ascii: "\""): try parseString(input)
        case UInt8(ascii: "t"):
            try expectLiteral(input, "true")
            appendToken(.true, from: start)
        case UInt8(ascii: "f"):
            try expectLiteral(input, "false")
            appendToken(.false, from: start)
        case UInt8(ascii: "n"):
            try expectLiteral(input, "null")
            appendToken(.null, from: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try parseNumber(input)
            appendToken(.number, from: start)
        default: throw unexpectedByte(input, expecting: "a JSON value")
        }
    }

    private mutating func parseObject(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        let object = try enterContainer(.object)
        skipWhitespace(input)
        if try consumeIf(input, UInt8(ascii: "}")) { return leaveContainer(object) }
        var seenKeys: Set<[UInt8]> = []
        while true {
            guard position < input.count else { throw error("unexpected end of input") }
            guard input[position] == UInt8(ascii: "\"") else {
                throw unexpectedByte(input, expecting: "a string key")
            }
            let keyOffset = position
            let key = tape.tokens.count
            try parseString(input)
            tape.tokens[key].key = JSONKey(bytes: tape.stringBytes(at: key))
            if isDuplicate(key: key, in: object, seen: &seenKeys) {
                let name = Excerpt.of(utf8: tape.stringBytes(at: key))
                throw JSONSyntaxError(offset: keyOffset, reason: "duplicate key \"\(name)\"")
            }
            skipWhitespace(input)
            try expect(input, UInt8(ascii: ":"), expecting: "':' after an object key")
            skipWhitespace(input)
            try parseValue(input)
            tape.tokens[object].count += 1
            skipWhitespace(input)
            if try consumeIf(input, UInt8(ascii: "}")) { break }
            try expect(input, UInt8(ascii: ","), expecting: "',' or '}'")
            skipWhitespace(input)
        }
        leaveContainer(object)
    }

    private mutating func parseArray(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        let array = try enterContainer(.array)
        skipWhitespace(input)
        if try consumeIf(input, UInt8(ascii: "]")) { return leaveContainer(array) }
        while true {
            try parseValue(input)
            tape.tokens[array].count += 1
            skipWhitespace(input)
            if try consumeIf(input, UInt8(ascii: "]")) { break }
            try expect(input, UInt8(ascii: ","), expecting: "',' or ']'")
            skipWhitespace(input)
        }
        leaveContainer(array)
    }

    /// Keys compare by their UTF-8 bytes (RFC 8259 compares code units), not by Unicode
    /// canonical equivalence. Small objects scan their earlier keys; large ones keep a set.
    private func isDuplicate(key: JSONTape.Index, in object: JSONTape.Index, seen: inout Set<[UInt8]>) -> Bool {
        let earlierCount = tape.count(at: object)
        if earlierCount < 16 {
            let code = tape.key(at: key)
            var earlier = object + 1
            for _ in 0..<earlierCount {
                // Equal codes mean equal keys, except for long keys, which all share one code.
                if tape.key(at: earlier) == code, tape.stringBytes(at: earlier) == tape.stringBytes(at: key) {
                    return true
                }
                earlier = Int(tape.tokens[earlier + 1].next)
            }
            return false
        }
        if seen.isEmpty { seen = Set(tape.members(of: object).map { Array(tape.stringBytes(at: $0.key)) }) }
        return !seen.insert(Array(tape.stringBytes(at: key))).inserted
    }

    /// Opens an object or array: its token is written now and completed by `leaveContainer`.
    private mutating func enterContainer(_ kind: JSONTape.Kind) throws(JSONSyntaxError) -> JSONTape.Index {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw error("nesting deeper than \(Self.maxDepth) levels")
        }
        appendToken(kind, from: position)
        position += 1
        return tape.tokens.count - 1
    }

    private mutating func leaveContainer(_ container: JSONTape.Index) {
        depth -= 1
        tape.tokens[container].end = UInt32(position)
        tape.tokens[container].next = UInt32(tape.tokens.count)
    }

    /// Records a value that ended at `position`.
    mutating func appendToken(_ kind: JSONTape.Kind, from start: Int) {
        let index = UInt32(tape.tokens.count)
        tape.tokens.append(JSONTape.Token(kind: kind, start: UInt32(start), end: UInt32(position), next: index + 1))
    }

    // MARK: - Numbers and literals

    private mutating func parseNumber(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        _ = try consumeIf(input, UInt8(ascii: "-"))
        guard position < input.count, isDigit(input[position]) else {
            throw unexpectedByte(input, expecting: "a digit")
        }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < input.count, isDigit(input[position]) {
                throw error("leading zeros are not allowed in numbers")
            }
        } else {
            skipDigits(input)
        }
        if try consumeIf(input, UInt8(ascii: ".")) {
            try requireDigits(input)
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigits(input)
        }
    }

    private mutating func requireDigits(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        guard position < input.count, isDigit(input[position]) else {
            throw unexpectedByte(input, expecting: "a digit")
        }
        skipDigits(input)
    }

    private mutating func skipDigits(_ input: Span<UInt8>) {
        while position < input.count, isDigit(input[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private mutating func expectLiteral(_ input: Span<UInt8>, _ word: String) throws(JSONSyntaxError) {
        let start = position
        for expected in word.utf8 {
            guard position < input.count, input[position] == expected else {
                throw JSONSyntaxError(offset: start, reason: "invalid literal (expected \(word))")
            }
            position += 1
        }
    }

    // MARK: - Helpers

    mutating func skipWhitespace(_ input: Span<UInt8>) {
        var index = position
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default:
                position = index
                return
            }
        }
        position = index
    }

    private mutating func consumeIf(_ input: Span<UInt8>, _ byte: UInt8) throws(JSONSyntaxError) -> Bool {
        guard position < input.count, input[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ input: Span<UInt8>, _ byte: UInt8, expecting what: String) throws(JSONSyntaxError) {
        guard try consumeIf(input, byte) else { throw unexpectedByte(input, expecting: what) }
    }

    func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    func unexpectedByte(_ input: Span<UInt8>, expecting what: String) -> JSONSyntaxError {
        guard position < input.count else { return error("unexpected end of input, expected \(what)") }
        let byte = input[position]
        let shown =
            byte >= 0x21 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(Hex.text(of: byte))"
        return error("unexpected \(shown), expected \(what)")
    }
}
