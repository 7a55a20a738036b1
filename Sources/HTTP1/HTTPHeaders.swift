/// A response's header fields, in the order handlers added them (a request's are
/// `RequestFields`, read in place from its head). Lookups compare names ASCII-case-insensitively
/// without allocating.
package struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One field line: the name as sent (original case) and the value without surrounding whitespace.
    package struct Field: Sendable, Equatable {
        /// Field name in its original case.
        package var name: String {
            didSet { line = nil }
        }
        /// Field value, leading and trailing whitespace removed.
        package var value: String {
            didSet { line = nil }
        }
        /// `name: value\r\n` as written on the wire, for a constant field serialised once
        /// (`constant(name:value:)`); nil for the rest, which are serialised with every response.
        private(set) var line: [UInt8]?

        /// Creates a field.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// A field whose bytes are worked out now, once, rather than in every response head that
        /// carries it (the JSON and problem content types).
        package static func constant(name: String, value: String) -> Field {
            var field = Field(name: name, value: value)
            var line: [UInt8] = []
            ResponseHead.appendFieldLine(field, to: &line)
            field.line = line
            return field
        }

        package static func == (lhs: Field, rhs: Field) -> Bool {
            lhs.name == rhs.name && lhs.value == rhs.value
        }
    }

    /// In order; walked through `fields.span` so that reading a field copies none.
    private(set) var fields: [Field] = []

    /// Creates an empty list.
    package init() {}

    /// Creates a list from `(name, value)` pairs in the order given.
    package init(_ pairs: [(String, String)]) {
        fields.reserveCapacity(pairs.count)
        for (name, value) in pairs { fields.append(Field(name: name, value: value)) }
    }

    /// Allows `["Content-Type": "application/json"]` literals; order is kept.
    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Number of field lines.
    package var count: Int { fields.count }

    /// Whether there are no fields.
    package var isEmpty: Bool { fields.isEmpty }

    /// Makes room for `capacity` fields so a request head grows its storage once.
    package mutating func reserveCapacity(_ capacity: Int) {
        fields.reserveCapacity(capacity)
    }

    /// Appends a field line (repeats are kept as separate lines).
    package mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends `field` as it is (a `Field.constant` keeps its serialised bytes).
    package mutating func add(_ field: consuming Field) {
        fields.append(field)
    }

    /// Removes every field called `name`, then appends `name: value`.
    package mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field called `name` (any case).
    package mutating func remove(name: String) {
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// The first value of the field called `name` (any case), or nil.
    package subscript(name: String) -> String? {
        let fields = self.fields.span
        for index in fields.indices where asciiCaseInsensitiveEquals(fields[index].name, name) {
            return fields[index].value
        }
        return nil
    }

    /// Every value of the field called `name` (any case), in order.
    package func values(for name: String) -> [String] {
        fields.filter { asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    /// Whether a field called `name` (any case) is present.
    package func contains(name: String) -> Bool {
        self[name] != nil
    }

    /// The fields on the wire (`Name: value\r\n` each, CR, LF and NUL made spaces), for
    /// `ResponseHead.fixedLines`: worked out once for fields many responses carry.
    package var serializedLines: [UInt8] {
        var lines: [UInt8] = []
        for field in fields { ResponseHead.appendFieldLine(field, to: &lines) }
        return lines
    }

    /// Iterates the fields in order.
    package func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}

/// Compares two strings ignoring ASCII case, without lowercasing copies: header names and tokens
/// are ASCII, and this runs on every lookup. The byte counts are compared first (a native string
/// stores its count), so the usual mismatch, a field of another length, costs no byte comparison.
package func asciiCaseInsensitiveEquals(_ lhs: String, _ rhs: String) -> Bool {
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    let left = lhs.utf8.span
    let right = rhs.utf8.span
    for index in left.indices {
        let (a, b) = (left[index], right[index])
        if a != b && asciiLowercased(a) != asciiLowercased(b) { return false }
    }
    return true
}
