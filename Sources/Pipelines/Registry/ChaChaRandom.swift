/// A fast, unpredictable random number generator for ids: the ChaCha20 block function
/// (RFC 8439) as a keystream, keyed from the system's generator and rekeyed every 64 KiB of
/// output (as OpenBSD's `arc4random` does).
///
/// It exists because `SystemRandomNumberGenerator` makes one `getrandom` system call per
/// 64-bit value: two per UUID, which on a create or a trigger cost as much as the rest of the
/// request's bookkeeping. Here one system call covers 2,048 UUIDs.
package struct ChaChaRandom: RandomNumberGenerator, Sendable {
    /// Blocks produced under one key before a fresh key is drawn from the system.
    static let blocksPerKey: UInt32 = 1024

    private var key: [UInt32] = Array(repeating: 0, count: 8)
    private var counter: UInt32 = 0
    private var block: [UInt32] = []
    private var used = 0

    package init() {
        rekey()
    }

    package mutating func next() -> UInt64 {
        if used + 2 > block.count { refill() }
        let value = UInt64(block[used]) | UInt64(block[used + 1]) << 32
        used += 2
        return value
    }

    private mutating func refill() {
        if counter >= Self.blocksPerKey { rekey() }
        block = Self.block(key: key, counter: counter, nonce: [0, 0, 0])
        counter += 1
        used = 0
    }

    private mutating func rekey() {
        var system = SystemRandomNumberGenerator()
        key = (0..<4).flatMap { _ -> [UInt32] in
            let word = system.next()
            return [UInt32(truncatingIfNeeded: word), UInt32(truncatingIfNeeded: word >> 32)]
        }
        counter = 0
    }

    /// The ChaCha20 block function: 64 bytes of keystream as 16 little-endian words.
    static func block(key: [UInt32], counter: UInt32, nonce: [UInt32]) -> [UInt32] {
        let words = [0x6170_7865, 0x3320_646E, 0x7962_2D32, 0x6B20_6574] + key + [counter] + nonce
        // A fixed-size value, not an array: the rounds index it 640 times per block.
        let initial = InlineArray<16, UInt32> { words[$0] }
        var state = initial
        func quarterRound(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            state[a] = state[a] &+ state[b]
            state[d] ^= state[a]
            state[d] = state[d].rotatedLeft(16)
            state[c] = state[c] &+ state[d]
            state[b] ^= state[c]
            state[b] = state[b].rotatedLeft(12)
            state[a] = state[a] &+ state[b]
            state[d] ^= state[a]
            state[d] = state[d].rotatedLeft(8)
            state[c] = state[c] &+ state[d]
            state[b] ^= state[c]
            state[b] = state[b].rotatedLeft(7)
        }
        for _ in 0..<10 {
            quarterRound(0, 4, 8, 12)
            quarterRound(1, 5, 9, 13)
            quarterRound(2, 6, 10, 14)
            quarterRound(3, 7, 11, 15)
            quarterRound(0, 5, 10, 15)
            quarterRound(1, 6, 11, 12)
            quarterRound(2, 7, 8, 13)
            quarterRound(3, 4, 9, 14)
        }
        return (0..<16).map { state[$0] &+ initial[$0] }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 {
        self << count | self >> (32 - count)
    }
}
