// Eight bytes at a time for the two longest scans of a request head: the request-target and field
// values, which are nearly all plain visible ASCII. A word test may flag a word that is in fact
// clean (a borrow or carry spills into the next byte); it never passes one that is not. A flagged
// word is simply scanned byte by byte, so the byte classes in `ByteClasses.swift` stay the rule.

/// A byte of `0x01` in every lane, for spreading a byte value across a word.
private let lanes: UInt64 = 0x0101_0101_0101_0101
/// The high bit of every lane.
private let highBits: UInt64 = 0x8080_8080_8080_8080

/// Whether some byte of `word` is below `limit` (at most 128).
@inline(__always)
private func hasByte(below limit: UInt8, _ word: UInt64) -> Bool {
    (word &- lanes &* UInt64(limit)) & ~word & highBits != 0
}

/// Whether some byte of `word` is `byte`.
@inline(__always)
private func hasByte(_ byte: UInt8, _ word: UInt64) -> Bool {
    hasByte(below: 1, word ^ (lanes &* UInt64(byte)))
}

/// Whether every byte of `word` is visible ASCII (`isTargetByte`): no control, space, DEL or
/// byte above 0x7F.
@inline(__always)
func isTargetWord(_ word: UInt64) -> Bool {
    word & highBits == 0 && !hasByte(below: 0x21, word) && !hasByte(ASCII.del, word)
}

/// Whether every byte of `word` is SP or visible ASCII, the common case of `isFieldValueByte`
/// (HTAB and obs-text are left to the byte scan).
@inline(__always)
func isPlainValueWord(_ word: UInt64) -> Bool {
    word & highBits == 0 && !hasByte(below: 0x20, word) && !hasByte(ASCII.del, word)
}

extension Span where Element == UInt8 {
    /// Like `skip(from:to:while:)`, but first passes over whole words that `isCleanWord` accepts.
    @inline(__always)
    func skip(
        from start: Int, to stop: Int, whileWords isCleanWord: (UInt64) -> Bool, while isInClass: (UInt8) -> Bool
    ) -> Int {
        let window = extracting(start..<stop)
        var index = 0
        while index + 8 <= window.count && isCleanWord(window.word(at: index)) { index += 8 }
        return skip(from: start + index, to: stop, while: isInClass)
    }

    /// The eight bytes at `offset` as one little-endian word (the compiler makes it one load).
    @inline(__always)
    private func word(at offset: Int) -> UInt64 {
        let bytes = extracting(offset..<(offset + 8))
        var word: UInt64 = 0
        for index in bytes.indices { word |= UInt64(bytes[index]) << UInt64(index * 8) }
        return word
    }
}
