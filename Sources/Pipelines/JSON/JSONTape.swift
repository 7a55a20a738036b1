/// A parsed JSON text as a flat list of tokens in document order: what `JSONReader` produces.
///
/// Why a tape and not a tree: building a `JSONValue` allocates an array or a string for every
/// node and frees them all again a moment later, and on a `POST /v1/pipelines` that was the
/// largest single cost. The tape is two buffers. String contents stay in the input (or, when they
/// had escapes, in `unescaped`), so a validator reads fields in place and copies only what it
/// keeps. `value(at:)` still builds a tree for the parts that are arbitrary JSON.
package struct JSONTape: Sendable {
    /// A token's position in the tape; the root value is at index 0.
    package typealias Index = Int

    package enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// 40 bytes per value; offsets fit in 32 bits because `JSONReader` refuses larger inputs.
    struct Token {
        var kind: Kind
        /// For strings: whether `start..<end` lies in `unescaped` rather than in the input.
        var isUnescaped = false
        /// Byte range of the token: a string's contents without its quotes, a number's literal.
        var start: UInt32
        var end: UInt32
        /// Index of the first token after this value, past a container's last descendant.
        var next: UInt32
        /// How many members or elements a container has.
        var count: UInt32 = 0
        /// For object keys: the packed key.
        var key = JSONKey()
    }

    let input: [UInt8]
    var tokens: [Token] = []
    /// The decoded contents of strings that contained escapes, one after another.
    var unescaped: [UInt8] = []

    init(input: [UInt8]) {
        self.input = input
        tokens.reserveCapacity(input.count / 8 + 1)
    }

    // MARK: - Reading values

    package func kind(at index: Index) -> Kind {
        tokens[index].kind
    }

    /// Members of an object or elements of an array.
    package func count(at index: Index) -> Int {
        Int(tokens[index].count)
    }

    /// The UTF-8 bytes of the string at `index`, escapes decoded.
    package func stringBytes(at index: Index) -> ArraySlice<UInt8> {
        let token = tokens[index]
        let range = Int(token.start)..<Int(token.end)
        return token.isUnescaped ? unescaped[range] : input[range]
    }

    /// The string at `index`, or nil if that value is not a string.
    package func string(at index: Index) -> String? {
        guard tokens[index].kind == .string else { return nil }
        return String(decoding: stringBytes(at: index), as: UTF8.self)
    }

    /// The value at `index` if it is a number written as an integer that fits in `Int`.
    package func integer(at index: Index) -> Int? {
        let token = tokens[index]
        guard token.kind == .number else { return nil }
        return Int(exactlyLiteral: input[Int(token.start)..<Int(token.end)])
    }

    /// How many Unicode scalars the string at `index` has.
    package func scalarCount(at index: Index) -> Int {
        let token = tokens[index]
        let bytes = token.isUnescaped ? unescaped.span : input.span
        var count = 0
        // Each scalar has exactly one byte that is not a continuation byte (10xxxxxx).
        for offset in Int(token.start)..<Int(token.end) where bytes[offset] & 0xC0 != 0x80 {
            count += 1
        }
        return count
    }

    /// The value of member `key` of the object at `object`, if there is one.
    package func member(_ key: JSONKey, of object: Index) -> Index? {
        precondition(tokens[object].kind == .object, "not an object")
        var name = object + 1
        for _ in 0..<tokens[object].count {
            if tokens[name].key == key { return name + 1 }
            name = Int(tokens[name + 1].next)
        }
        return nil
    }

    /// The packed form of the object key at `index`.
    package func key(at index: Index) -> JSONKey {
        tokens[index].key
    }

    /// The key and value indices of an object's members, in document order.
    package func members(of object: Index) -> some Sequence<(key: Index, value: Index)> {
        precondition(tokens[object].kind == .object, "not an object")
        // Members sit at every other child position: a key, then its value.
        return Children(tokens: tokens, first: object + 1, remaining: tokens[object].count, stride: 1)
            .lazy.map { ($0, $0 + 1) }
    }

    /// The indices of an array's elements, in order.
    package func elements(of array: Index) -> some Sequence<Index> {
        precondition(tokens[array].kind == .array, "not an array")
        return Children(tokens: tokens, first: array + 1, remaining: tokens[array].count, stride: 0)
    }

    /// Walks a container's children by jumping over each one's descendants.
    struct Children: Sequence, IteratorProtocol {
        let tokens: [Token]
        var current: Index
        var remaining: UInt32
        /// 1 for objects: the jump is taken from the value that follows each key.
        let stride: Int

        init(tokens: [Token], first: Index, remaining: UInt32, stride: Int) {
            self.tokens = tokens
            current = first
            self.remaining = remaining
            self.stride = stride
        }

        mutating func next() -> Index? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            defer { current = Int(tokens[current + stride].next) }
            return current
        }
    }

    /// A one-word name of the JSON type, for error messages.
    package func typeName(at index: Index) -> String {
        switch kind(at: index) {
        case .null: "null"
        case .true, .false: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value at `index` as a tree, for JSON that is kept whole rather than validated.
    package func value(at index: Index) -> JSONValue {
        let token = tokens[index]
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number:
            let literal = String(decoding: input[Int(token.start)..<Int(token.end)], as: UTF8.self)
            return .number(JSONNumber(literal: literal))
        case .string: return .string(String(decoding: stringBytes(at: index), as: UTF8.self))
        case .array: return .array(elements(of: index).map(value(at:)))
        case .object:
            return .object(
                members(of: index).map { member in
                    (String(decoding: stringBytes(at: member.key), as: UTF8.self), value(at: member.value))
                })
        }
    }
}
