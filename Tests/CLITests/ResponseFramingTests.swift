import Foundation
import Testing

@testable import PipelineClient

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The event stream's own HTTP reader frames a response however the bytes are split.
struct ResponseFramingTests {
    static let chunked = Array(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n").utf8)

    /// Feeds `bytes` in pieces of `size` and answers the status, the body and whether it completed.
    func read(_ bytes: [UInt8], pieces size: Int) throws -> (status: Int?, body: String, complete: Bool) {
        var reader = ResponseReader()
        var status: Int?
        var body = Data()
        var start = 0
        while start < bytes.count {
            for part in try reader.feed(bytes[start..<min(start + size, bytes.count)]) {
                switch part {
                case .status(let code): status = code
                case .bytes(let data): body.append(data)
                case .etag: break
                }
            }
            start += size
        }
        return (status, String(decoding: body, as: UTF8.self), reader.isComplete)
    }

    @Test func chunkedBodyIsTheSameForEverySplit() throws {
        for size in 1...Self.chunked.count {
            let result = try read(Self.chunked, pieces: size)
            #expect(result.status == 200 && result.body == "hello, world" && result.complete, "pieces of \(size)")
        }
    }

    @Test func contentLengthBodyEndsAfterItsLength() throws {
        let bytes = Array("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope".utf8)
        let result = try read(bytes, pieces: 3)
        #expect(result.status == 404 && result.body == "nope" && result.complete)
    }

    @Test func closeDelimitedBodyEndsAtEndOfInput() throws {
        var reader = ResponseReader()
        _ = try reader.feed(Array("HTTP/1.1 200 OK\r\n\r\nabc".utf8))
        #expect(!reader.isComplete)
        try reader.finish()
        #expect(reader.isComplete)
    }

    @Test func cutShortChunkedBodyIsAnError() throws {
        var reader = ResponseReader()
        _ = try reader.feed(Self.chunked.prefix(90))
        #expect(throws: ResponseReader.FramingError.self) { try reader.finish() }
    }

    @Test(arguments: ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "SSH-2.0-OpenSSH\r\n\r\n"])
    func malformedInputIsRefused(_ text: String) {
        var reader = ResponseReader()
        #expect(throws: ResponseReader.FramingError.self) { try reader.feed(Array(text.utf8)) }
    }

    @Test func requestHeadCarriesThePercentEncodedTargetAndHeaders() throws {
        var request = URLRequest(
            url: try #require(URL(string: "http://127.0.0.1:8080/api/v1/events?pipeline_id=a%26b")))
        request.setValue("7", forHTTPHeaderField: "Last-Event-ID")
        let head = SocketStream.head(of: request, url: request.url!)
        #expect(head.hasPrefix("GET /api/v1/events?pipeline_id=a%26b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(head.lowercased().contains("\r\nlast-event-id: 7\r\n"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }
}
