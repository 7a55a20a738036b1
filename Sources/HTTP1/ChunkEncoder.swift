/// Chunked transfer coding for streamed responses (Server-Sent Events), so the connection can
/// send pieces of a body whose length is unknown when the head goes out. For vectored writes a
/// chunk is `header(for: payload.count)`, the payload, then `trailer`.
package enum ChunkEncoder {
    /// The last chunk and the empty trailer section: writing it ends the body.
    package static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// The CRLF that closes a chunk's data (not trailer fields, which we never send).
    package static let trailer: [UInt8] = [ASCII.cr, ASCII.lf]

    /// The size line (lowercase hex, CRLF) before a chunk of `count` bytes; `count` must be > 0,
    /// because a zero-size chunk would end the body.
    package static func header(for count: Int) -> [UInt8] {
        precondition(count > 0, "a chunk of size 0 would end the body; write lastChunk instead")
        var digits: [UInt8] = []
        var rest = count
        while rest > 0 {
            let digit = UInt8(rest & 0xF)
            digits.append(digit < 10 ? ASCII.zero + digit : 0x61 + digit - 10)
            rest >>= 4
        }
        digits.reverse()
        digits.append(contentsOf: trailer)
        return digits
    }

    /// Appends `payload` framed as one chunk to `out` (nothing for an empty payload).
    package static func append(_ payload: some Collection<UInt8>, to out: inout [UInt8]) {
        guard !payload.isEmpty else { return }
        out.append(contentsOf: header(for: payload.count))
        out.append(contentsOf: payload)
        out.append(contentsOf: trailer)
    }

    /// `payload` framed as one chunk; empty for an empty payload.
    package static func chunk(_ payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 12)
        append(payload, to: &out)
        return out
    }
}
