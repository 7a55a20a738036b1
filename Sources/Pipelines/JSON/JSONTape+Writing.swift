/// Writing tape values back out as compact JSON, copying from the input wherever the bytes are
/// already in canonical form.
extension JSONTape {
    /// Writes the value at `index` compactly, keeping member order and number literals; the
    /// same bytes `JSONWriter.value(_:)` writes for its tree.
    package func write(_ index: Index, to writer: inout JSONWriter) {
        let token = tokens[index]
        switch token.kind {
        case .null: writer.null()
        case .true: writer.bool(true)
        case .false: writer.bool(false)
        case .number: writer.number(literal: input[Int(token.start)..<Int(token.end)])
        case .string:
            if token.isUnescaped {
                writer.string(utf8: stringBytes(at: index))
            } else {
                writer.raw(quoted(token))
            }
        case .array:
            writer.beginArray()
            for element in elements(of: index) { write(element, to: &writer) }
            writer.endArray()
        case .object:
            writer.beginObject()
            for member in members(of: index) {
                writeKey(member.key, to: &writer)
                write(member.value, to: &writer)
            }
            writer.endObject()
        }
    }

    /// Writes the object key at `index` and its colon.
    package func writeKey(_ index: Index, to writer: inout JSONWriter) {
        let token = tokens[index]
        if token.isUnescaped {
            writer.key(utf8: stringBytes(at: index))
        } else {
            writer.rawKey(quoted(token))
        }
    }

    /// Writes the object member whose value is at `value` (its key is the token before it).
    /// A scalar member whose key and value need no re-encoding (most members of a typical
    /// document) is copied straight from the input, as two byte ranges.
    package func writeMember(_ value: Index, to writer: inout JSONWriter) {
        let key = tokens[value - 1]
        let token = tokens[value]
        guard !key.isUnescaped, !token.isUnescaped, token.kind != .object, token.kind != .array else {
            writeKey(value - 1, to: &writer)
            return write(value, to: &writer)
        }
        let quotedKey = Int(key.start) - 1..<Int(key.end) + 1
        let text =
            token.kind == .string
            ? Int(token.start) - 1..<Int(token.end) + 1 : Int(token.start)..<Int(token.end)
        writer.member(copying: input, key: quotedKey, value: text)
    }

    /// A string without escapes as it stands in the input, quotes included. It needs no
    /// escaping on output: a raw `"`, `\` or control character cannot occur in one.
    private func quoted(_ token: Token) -> ArraySlice<UInt8> {
        input[Int(token.start) - 1..<Int(token.end) + 1]
    }
}
