/// A parsed JSON value that keeps what a generic decoder would lose: the order of object
/// members and the exact text of every number, so a `k8s_manifest` comes back as it was sent.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// Members in document order; keys are unique (the reader rejects repeats).
    case object([(key: String, value: JSONValue)])
}

/// A JSON number kept as its literal text, so values such as `1e400` or a 30-digit integer are
/// never rounded through a `Double`.
package struct JSONNumber: Sendable, Hashable {
    /// The number exactly as written in the source, e.g. `-12`, `6e2`, `600.0`.
    package let literal: String

    /// Wraps a literal the caller guarantees matches the JSON number grammar.
    package init(literal: String) {
        self.literal = literal
    }

    /// Wraps an integer, for writers that build documents rather than parse them.
    package init(_ value: Int) {
        self.literal = String(value)
    }
}

extension Int {
    /// The integer a JSON number denotes when it is written as an integer (no fraction, no
    /// exponent) and fits in `Int`; `nil` otherwise, so `600.0` and `6e2` are not integers.
    package init?(exactly number: JSONNumber) {
        self.init(exactlyLiteral: number.literal.utf8)
    }

    /// `init(exactly:)` on the bytes of a number literal.
    init?(exactlyLiteral literal: some Collection<UInt8>) {
        var digits = literal[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var magnitude = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte &- UInt8(ascii: "0"))
            let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so Int.min is representable.
            let (next, overflowB) = shifted.subtractingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            magnitude = next
        }
        if negative {
            self = magnitude
        } else {
            guard magnitude != Int.min else { return nil }
            self = -magnitude
        }
    }
}

extension JSONValue: Equatable {
    /// Structural equality: object members compare in order, numbers by their literal text.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
        default: return false
        }
    }
}

extension JSONValue {
    /// The members if this is an object, for callers that dispatch on field names.
    package var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The string if this is a string.
    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A one-word name of the JSON type, for error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Why a byte sequence is not acceptable JSON, and where: the server turns this into a 400
/// whose detail names the byte offset.
package struct JSONSyntaxError: Error, Sendable, Equatable {
    /// Zero-based index of the offending byte in the input.
    package var offset: Int
    /// A short lowercase phrase, e.g. `duplicate key "name"`.
    package var reason: String

    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
}
