/// A request's field lines in the order received (repeats included), read in place from the
/// head's one buffer (`HeadBytes`). Lookups compare names ASCII-case-insensitively, byte counts
/// first, and make a `String` only of a value that is asked for as one; a linear walk beats
/// hashing for the ~10 fields a request carries.
package struct RequestFields: Sendable, Equatable, Sequence {
    private let head: HeadBytes

    init(_ head: HeadBytes) {
        self.head = head
    }

    /// Number of field lines.
    package var count: Int { head.fieldCount }

    /// Whether there are no fields.
    package var isEmpty: Bool { head.fieldCount == 0 }

    /// The first value of the field called `name` (any case), or nil.
    package subscript(name: String) -> String? {
        var found: String?
        forEachValueRange(named: name) { range in
            found = makeString(head.bytes.span, range)
            return false
        }
        return found
    }

    /// Every value of the field called `name` (any case), in order.
    package func values(for name: String) -> [String] {
        var values: [String] = []
        forEachValueRange(named: name) { range in
            values.append(makeString(head.bytes.span, range))
            return true
        }
        return values
    }

    /// Whether a field called `name` (any case) is present.
    package func contains(name: String) -> Bool {
        var found = false
        forEachValueRange(named: name) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with the value of the field called `name` (any case), borrowed in place (nil
    /// when there is none), and how many such fields there are: for a field that must not be
    /// repeated, read on every request without copying it.
    package func withValue<T>(ofSingle name: String, _ body: (Span<UInt8>?, _ count: Int) -> T) -> T {
        var first: Range<Int>?
        var count = 0
        forEachValueRange(named: name) { range in
            if count == 0 { first = range }
            count += 1
            return true
        }
        guard let first else { return body(nil, 0) }
        return body(head.bytes.span.extracting(first), count)
    }

    /// Whether every value of the field called `name` (any case) satisfies `predicate`; true when
    /// there is none.
    package func allValues(named name: String, satisfy predicate: (Span<UInt8>) -> Bool) -> Bool {
        var satisfied = true
        forEachValueRange(named: name) { range in
            satisfied = predicate(head.bytes.span.extracting(range))
            return satisfied
        }
        return satisfied
    }

    /// Iterates the fields in order, as strings.
    package func makeIterator() -> Iterator {
        Iterator(head: head, offset: head.targetCount)
    }

    /// Makes each field line's name and value into strings as it reaches them.
    package struct Iterator: IteratorProtocol {
        fileprivate let head: HeadBytes
        fileprivate var offset: Int

        package mutating func next() -> (name: String, value: String)? {
            guard let field = head.field(at: offset) else { return nil }
            offset = field.next
            let bytes = head.bytes.span
            return (makeString(bytes, field.name), makeString(bytes, field.value))
        }
    }

    /// Calls `body` with where each value of the field called `name` is, in order, until it
    /// returns false.
    private func forEachValueRange(named name: String, _ body: (Range<Int>) -> Bool) {
        let bytes = head.bytes.span
        let wanted = name.utf8.span
        var offset = head.targetCount
        while let field = head.field(at: offset) {
            offset = field.next
            if field.name.count == wanted.count, bytes.equalsIgnoringCase(field.name, wanted), !body(field.value) {
                return
            }
        }
    }
}

extension Span where Element == UInt8 {
    /// Whether `self[range]` equals `other` (of the same count), ignoring ASCII case.
    func equalsIgnoringCase(_ range: Range<Int>, _ other: Span<UInt8>) -> Bool {
        var index = range.lowerBound
        for otherIndex in other.indices {
            let (a, b) = (self[index], other[otherIndex])
            if a != b && asciiLowercased(a) != asciiLowercased(b) { return false }
            index += 1
        }
        return true
    }
}
