/// String scanning: escapes, surrogate pairs and UTF-8 validation, each failure at its offset.
extension JSONReader {
    /// Reads the string starting at the opening quote under `position` and records its token.
    /// A string without escapes (the common case) stays where it is in the input; one with
    /// escapes is decoded into the tape's `unescaped` buffer.
    mutating func parseString(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        position += 1
        let start = position
        while true {
            position = Self.endOfPrintableASCII(in: input, from: position)
            guard position < input.count else { break }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                appendToken(.string, from: start)
                position += 1
                return
            }
            if byte == UInt8(ascii: "\\") { break }
            try skipCharacter(input, byte)
        }
        guard position < input.count else { throw error("unterminated string") }
        let decodedStart = tape.unescaped.count
        tape.unescaped.append(contentsOf: tape.input[start..<position])
        try parseEscapedRemainder(input)
        let index = UInt32(tape.tokens.count)
        tape.tokens.append(
            JSONTape.Token(
                kind: .string, isUnescaped: true,
                start: UInt32(decodedStart), end: UInt32(tape.unescaped.count), next: index + 1))
    }

    /// The index of the first byte at or after `start` that is not printable ASCII other than a
    /// quote or backslash: the bytes a string scan can pass over without a second look.
    private static func endOfPrintableASCII(in input: Span<UInt8>, from start: Int) -> Int {
        var index = start
        while index < input.count {
            let byte = input[index]
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
            index += 1
        }
        return index
    }

    /// Continues a string after its first backslash, decoding it into `tape.unescaped`.
    private mutating func parseEscapedRemainder(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                try parseEscape(input)
            default:
                let start = position
                try skipCharacter(input, byte)
                tape.unescaped.append(contentsOf: tape.input[start..<position])
            }
        }
        throw error("unterminated string")
    }

    /// Advances over one unescaped character (1–4 bytes), validating it.
    private mutating func skipCharacter(_ input: Span<UInt8>, _ byte: UInt8) throws(JSONSyntaxError) {
        if byte >= 0x80 {
            try skipMultibyteScalar(input, lead: byte)
        } else if byte < 0x20 {
            throw error("control character 0x\(Hex.text(of: byte)) in string (must be escaped)")
        } else {
            position += 1
        }
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func skipMultibyteScalar(_ input: Span<UInt8>, lead: UInt8) throws(JSONSyntaxError) {
        let continuation: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0:
            continuation = 2
            secondRange = 0xA0...0xBF
        case 0xED:
            continuation = 2
            secondRange = 0x80...0x9F
        case 0xE1...0xEF: continuation = 2
        case 0xF0:
            continuation = 3
            secondRange = 0x90...0xBF
        case 0xF4:
            continuation = 3
            secondRange = 0x80...0x8F
        case 0xF1...0xF3: continuation = 3
        default: throw error("invalid UTF-8")
        }
        let lead = position
        for index in 1...continuation {
            let range = index == 1 ? secondRange : 0x80...0xBF
            guard lead + index < input.count, range.contains(input[lead + index]) else {
                throw JSONSyntaxError(offset: lead, reason: "invalid UTF-8")
            }
        }
        position += continuation + 1
    }

    /// Decodes the escape under `position` into `tape.unescaped`.
    private mutating func parseEscape(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        let start = position
        guard position + 1 < input.count else { throw error("unterminated string") }
        let replacement: UInt8
        switch input[position + 1] {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape(input, start: start)
            tape.unescaped.append(contentsOf: UTF8.encode(scalar)!)
            return
        default:
            throw error("invalid escape sequence")
        }
        tape.unescaped.append(replacement)
        position += 2
    }

    /// Reads `\uXXXX` (and its low half when it is a high surrogate) starting at `start`.
    private mutating func parseUnicodeEscape(_ input: Span<UInt8>, start: Int) throws(JSONSyntaxError) -> Unicode.Scalar
    {
        let high = try readHexQuad(input, at: start + 2)
        position = start + 6
        switch high {
        case 0xDC00...0xDFFF:
            throw JSONSyntaxError(offset: start, reason: "lone low surrogate escape")
        case 0xD800...0xDBFF:
            guard position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                input[position + 1] == UInt8(ascii: "u")
            else { throw JSONSyntaxError(offset: start, reason: "lone high surrogate escape") }
            let low = try readHexQuad(input, at: position + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONSyntaxError(offset: start, reason: "lone high surrogate escape")
            }
            position += 6
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        default:
            return Unicode.Scalar(high)!
        }
    }

    private func readHexQuad(_ input: Span<UInt8>, at offset: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<offset + 4 {
            guard index < input.count, let digit = Hex.value(of: input[index]) else {
                throw JSONSyntaxError(offset: offset - 2, reason: "invalid \\u escape (needs 4 hex digits)")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
