import Foundation

/// Turns the bytes of one HTTP/1.1 response, as they arrive, into a status and body bytes: the
/// framing half of `SocketStream`, kept free of I/O so it can be fed any split of the input.
struct ResponseReader {
    /// Why a response could not be framed; `SocketStream` reports it as an unexpected answer.
    struct FramingError: Error, Equatable {
        var reason: String
    }

    private enum Framing {
        case head([UInt8])
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
        case untilClose
        case complete
    }

    /// A response head larger than this is refused (the server's own limit is 16 KiB).
    static let maxHeadBytes = 64 * 1024

    private var framing = Framing.head([])

    /// Whether the whole body has arrived (a close-delimited body is complete only at end of input).
    var isComplete: Bool {
        if case .complete = framing { true } else { false }
    }

    /// Consumes the next bytes and answers the parts they complete, in order.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(FramingError) -> [StreamPart] {
        switch framing {
        case .head(var head):
            head.append(contentsOf: bytes)
            guard let end = Self.endOfHead(head) else {
                if head.count > Self.maxHeadBytes { throw FramingError(reason: "a response head over 64 KiB") }
                framing = .head(head)
                return []
            }
            let (status, etag, nextFraming) = try Self.parseHead(head[..<end])
            framing = nextFraming
            return [.status(status)] + (etag.map { [.etag($0)] } ?? []) + (try feed(head[(end + 4)...]))
        case .length(let remaining):
            let body = Array(bytes.prefix(remaining))
            framing = remaining == body.count ? .complete : .length(remaining: remaining - body.count)
            return body.isEmpty ? [] : [.bytes(Data(body))]
        case .chunked(var decoder):
            let body = try decoder.feed(bytes)
            framing = decoder.isComplete ? .complete : .chunked(decoder)
            return body.isEmpty ? [] : [.bytes(Data(body))]
        case .untilClose:
            return bytes.isEmpty ? [] : [.bytes(Data(bytes))]
        case .complete:
            return []
        }
    }

    /// Called at end of input: a body that was cut short is an error, a close-delimited one ends.
    mutating func finish() throws(FramingError) {
        switch framing {
        case .untilClose, .complete: framing = .complete
        case .head: throw FramingError(reason: "the connection closed before a response head")
        case .length, .chunked: throw FramingError(reason: "the connection closed in the middle of the body")
        }
    }

    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func parseHead(_ head: ArraySlice<UInt8>) throws(FramingError) -> (Int, String?, Framing) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]),
            (100...599).contains(status)
        else { throw FramingError(reason: "not an HTTP/1.x status line: \(lines[0].prefix(80))") }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if fields["transfer-encoding"]?.lowercased().hasSuffix("chunked") == true {
            return (status, fields["etag"], .chunked(ChunkedDecoder()))
        }
        if let length = fields["content-length"] {
            guard let count = Int(length), count >= 0 else { throw FramingError(reason: "Content-Length \(length)") }
            return (status, fields["etag"], count == 0 ? .complete : .length(remaining: count))
        }
        if status == 204 || status == 304 { return (status, fields["etag"], .complete) }
        return (status, fields["etag"], .untilClose)
    }
}
