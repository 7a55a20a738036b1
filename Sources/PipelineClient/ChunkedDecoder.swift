/// Decodes a `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1): an event stream is
/// one endless chunked body, so the decoder must hand out each chunk's bytes as soon as they come.
struct ChunkedDecoder {
    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataEnd  // the CRLF after a chunk's data
        case trailers
        case complete
    }

    /// A size line (with extensions) or trailer line longer than this is refused.
    static let maxLineBytes = 4096

    private var state = State.sizeLine
    private var line: [UInt8] = []

    /// Whether the last chunk and the trailer section have been read.
    var isComplete: Bool {
        if case .complete = state { true } else { false }
    }

    /// Consumes the next bytes of the body and answers the chunk data they carried.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(ResponseReader.FramingError) -> [UInt8] {
        var output: [UInt8] = []
        var index = bytes.startIndex
        while index != bytes.endIndex {
            switch state {
            case .data(let remaining):
                let end = bytes.index(index, offsetBy: remaining, limitedBy: bytes.endIndex) ?? bytes.endIndex
                output.append(contentsOf: bytes[index..<end])
                let left = remaining - bytes.distance(from: index, to: end)
                state = left == 0 ? .dataEnd : .data(remaining: left)
                index = end
            case .complete:
                return output
            case .sizeLine, .dataEnd, .trailers:
                let byte = bytes[index]
                index = bytes.index(after: index)
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    if line.count > Self.maxLineBytes { throw .init(reason: "a chunk line over 4 KiB") }
                    continue
                }
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                try endLine()
                line.removeAll(keepingCapacity: true)
            }
        }
        return output
    }

    private mutating func endLine() throws(ResponseReader.FramingError) {
        switch state {
        case .sizeLine:
            let digits = line.prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") && $0 != 9 }
            guard !digits.isEmpty, digits.count <= 15,
                let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
            else { throw .init(reason: "a chunk size line that is not hexadecimal") }
            state = size == 0 ? .trailers : .data(remaining: size)
        case .dataEnd:
            guard line.isEmpty else { throw .init(reason: "chunk data longer than its size") }
            state = .sizeLine
        case .trailers:
            if line.isEmpty { state = .complete }
        case .data, .complete:
            break
        }
    }
}
