/// Appends compact JSON to a byte buffer in exactly the order the caller emits it, so response
/// bodies (documents, problem+json, runs, events) have a fixed key order without Foundation.
///
/// Commas are inserted automatically; the caller is responsible for balanced begin/end calls.
package struct JSONWriter: Sendable {
    /// The JSON written so far.
    package private(set) var bytes: [UInt8]
    private var needsComma = false

    /// Starts an empty buffer; `capacity` avoids regrowth for bodies of a known typical size.
    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key and its colon; the next value call writes the member's value.
    package mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    package mutating func string(_ text: String) {
        separate()
        appendQuoted(text)
        needsComma = true
    }

    /// Writes UTF-8 bytes (already validated) as a string.
    package mutating func string(utf8 text: ArraySlice<UInt8>) {
        separate()
        appendQuoted(text)
        needsComma = true
    }

    /// `key(_:)` for a key held as UTF-8 bytes.
    package mutating func key(utf8 name: ArraySlice<UInt8>) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes an id as a string in its canonical form; it never needs escaping.
    package mutating func string<Subject>(_ id: Identifier<Subject>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        id.append(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes `text` as a string, or `null` when it is absent.
    package mutating func string(_ text: String?) {
        guard let text else { return null() }
        string(text)
    }

    package mutating func integer(_ value: Int) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Work with the negative magnitude so Int.min does not overflow.
        var rest = value < 0 ? value : -value
        let start = bytes.count
        repeat {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10)
            bytes.append(UInt8(ascii: "0") + UInt8(-remainder))
            rest = quotient
        } while rest != 0
        bytes[start...].reverse()
        needsComma = true
    }

    /// Writes a number exactly as its literal text.
    package mutating func number(_ number: JSONNumber) {
        separate()
        bytes.append(contentsOf: number.literal.utf8)
        needsComma = true
    }

    /// Writes a number literal the caller took from valid JSON, byte for byte.
    package mutating func number(literal: ArraySlice<UInt8>) {
        separate()
        bytes.append(contentsOf: literal)
        needsComma = true
    }

    package mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes already-encoded JSON as the next item: a value (e.g. a stored document, or bytes
    /// copied out of valid JSON) or a whole `"key":value` member.
    package mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// Writes `"key":value` from two byte ranges of already-encoded JSON (the key's quotes
    /// included).
    package mutating func member(copying source: [UInt8], key: Range<Int>, value: Range<Int>) {
        separate()
        bytes.append(contentsOf: source[key])
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: source[value])
        needsComma = true
    }

    /// Writes an already-encoded key (quotes included) and its colon.
    package mutating func rawKey(_ quotedKey: ArraySlice<UInt8>) {
        separate()
        bytes.append(contentsOf: quotedKey)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a whole tree, keeping member order and number literals.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Escapes `"`, `\` and control characters; everything else is copied as UTF-8. The usual
    /// string needs no escape: one scan says so and it is then copied in one piece.
    private mutating func appendQuoted(_ text: String) {
        let utf8 = text.utf8.span
        if Self.needsEscaping(utf8) {
            appendEscaped(text.utf8)
        } else {
            bytes.append(addingCapacity: utf8.count + 2) { output in
                output.append(UInt8(ascii: "\""))
                for index in utf8.indices { output.append(utf8[index]) }
                output.append(UInt8(ascii: "\""))
            }
        }
    }

    private mutating func appendQuoted(_ text: ArraySlice<UInt8>) {
        if Self.needsEscaping(text.span) {
            appendEscaped(text)
        } else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private static func needsEscaping(_ utf8: Span<UInt8>) -> Bool {
        for index in utf8.indices {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
        }
        return false
    }

    private mutating func appendEscaped(_ utf8: some Sequence<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                Hex.append(UInt64(byte), digits: 2, to: &bytes)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
