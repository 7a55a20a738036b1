/// Chunked transfer coding for streamed responses (Server-Sent Events), so the connection can
/// send pieces of a body whose length is unknown when the head goes out.
package enum ChunkEncoder {
    /// The last chunk and the empty trailer section: writing it ends the body.
    package static let end: [UInt8] = Array("0\r\n\r\n".utf8)

    /// `payload` framed as one chunk (hex size, CRLF, payload, CRLF). An empty payload gives no
    /// bytes, because a zero-size chunk would end the body; use `end` for that.
    package static func chunk(_ payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 12)
        append(payload, to: &out)
        return out
    }

    /// Appends `payload` framed as one chunk to `out` (nothing for an empty payload).
    package static func append(_ payload: some Collection<UInt8>, to out: inout [UInt8]) {
        guard !payload.isEmpty else { return }
        out.append(contentsOf: prefix(size: payload.count))
        out.append(contentsOf: payload)
        out.append(contentsOf: suffix)
    }

    /// The size line before a chunk of `size` bytes, for vectored writes that keep the payload apart.
    package static func prefix(size: Int) -> [UInt8] {
        precondition(size > 0, "a chunk of size 0 would end the body")
        var digits: [UInt8] = []
        var rest = size
        while rest > 0 {
            let digit = UInt8(rest & 0xF)
            digits.append(digit < 10 ? ASCII.zero + digit : 0x61 + digit - 10)
            rest >>= 4
        }
        digits.reverse()
        digits.append(contentsOf: suffix)
        return digits
    }

    /// The CRLF after a chunk's payload.
    package static let suffix: [UInt8] = [ASCII.cr, ASCII.lf]
}
