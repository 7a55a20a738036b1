/// Writes a response head into room made for all of it beforehand (`Array.appendWriting`): each
/// piece is one copy. Appending the dozen pieces of a head to an array one by one paid a capacity
/// and uniqueness check and a generic copy path for each, about half of what serialising a head
/// cost.
///
/// Every write checks that it fits in the room it was given and traps if it would not, so a wrong
/// size estimate can never write past the buffer. `@safe`: the only writer is the one
/// `appendWriting` lends to its closure for the closure's duration (the initialiser is private to
/// this file), so its room is always live.
@safe struct HeadWriter {
    private let room: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far (from the start of `room`).
    private(set) var count: Int

    fileprivate init(room: UnsafeMutableBufferPointer<UInt8>, count: Int) {
        unsafe self.room = room
        self.count = count
    }

    mutating func write(_ bytes: borrowing [UInt8]) {
        unsafe bytes.withUnsafeBufferPointer { unsafe write($0) }
    }

    /// Writes a constant piece of the head.
    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { unsafe write($0) }
    }

    mutating func write(_ byte: UInt8) {
        unsafe precondition(count < room.count, "a response head outgrew its room")
        unsafe room[count] = byte
        count += 1
    }

    /// Writes `text` as it is: for text the server made itself (the `Date` value), which has no
    /// byte that could split a line.
    mutating func write(verbatim text: String) {
        unsafe text.utf8.span.withUnsafeBufferPointer { unsafe write($0) }
    }

    /// Writes `text`, with CR, LF and NUL made spaces, so a value taken from a request can never
    /// split the response. Nearly every value is clean: one scan finds that out, then one copy.
    mutating func write(fieldText text: String) {
        let bytes = text.utf8.span
        var isClean = true
        for index in bytes.indices where isForbiddenInField(bytes[index]) {
            isClean = false
            break
        }
        if isClean {
            unsafe bytes.withUnsafeBufferPointer { unsafe write($0) }
            return
        }
        for index in bytes.indices {
            write(isForbiddenInField(bytes[index]) ? ASCII.space : bytes[index])
        }
    }

    /// Writes the decimal digits of a non-negative `value`.
    mutating func write(decimal value: Int) {
        precondition(value >= 0, "negative length or status")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            write(ASCII.zero + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// The most bytes `write(decimal:)` writes.
    static let maxDecimalCount = 19

    private mutating func write(_ source: UnsafeBufferPointer<UInt8>) {
        guard let from = source.baseAddress else { return }  // empty
        unsafe precondition(source.count <= room.count - count, "a response head outgrew its room")
        // Sound: `room` is writable for `room.count` bytes, checked just above, and `source` is a
        // different, live buffer lent for this call.
        unsafe (room.baseAddress! + count).initialize(from: from, count: source.count)
        count += source.count
    }
}

/// CR, LF and NUL, the bytes that could end or split a field line.
func isForbiddenInField(_ byte: UInt8) -> Bool {
    byte == ASCII.cr || byte == ASCII.lf || byte == 0
}

extension Array where Element == UInt8 {
    /// Appends what `body` writes, at most `maximumCount` bytes, straight into new room.
    mutating func appendWriting(maximumCount: Int, _ body: (inout HeadWriter) -> Void) {
        append(addingCapacity: maximumCount) { output in
            // Sound: the writer gets the uninitialised room after the elements already there,
            // writes only inside it (every write is checked), and the count handed back is what
            // it wrote, all of it initialised.
            unsafe output.withUnsafeMutableBufferPointer { room, initialized in
                var writer = unsafe HeadWriter(room: room, count: initialized)
                body(&writer)
                initialized = writer.count
            }
        }
    }
}
