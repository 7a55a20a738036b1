import HTTP1
import Testing

struct ResponseSerializationTests {
    private let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func headWithContentLengthListsHeadersInOrderThenFraming() {
        let head = ResponseHead(status: .ok, headers: ["Content-Type": "application/json", "ETag": "\"1\""])
        #expect(
            text(head.serialized(date: date, contentLength: 12, chunked: false, close: false))
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"1\"\r\nDate: \(date)\r\nContent-Length: 12\r\n\r\n"
        )
    }

    @Test func anEntityTagIsWrittenAfterTheHeadersAndBeforeTheFixedLines() {
        let head = ResponseHead(
            status: .ok, headers: ["Content-Type": "application/json"], entityTag: "\"1f\"",
            fixedLines: Array("X-Fixed: 1\r\n".utf8))
        #expect(
            text(head.serialized(date: date, contentLength: 2, chunked: false, close: false))
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"1f\"\r\nX-Fixed: 1\r\n"
                + "Date: \(date)\r\nContent-Length: 2\r\n\r\n")
        let split = ResponseHead(status: .notModified, entityTag: "\"1\"\r\nX: y")
        #expect(
            text(split.serialized(date: date, contentLength: nil, chunked: false, close: false))
                == "HTTP/1.1 304 Not Modified\r\nETag: \"1\"  X: y\r\nDate: \(date)\r\n\r\n",
            "a line break in the tag cannot split the response")
    }

    @Test(arguments: [0, 7, 9, 10, 99, 100, 1_048_576, Int(Int32.max)])
    func contentLengthIsWrittenInDecimal(length: Int) {
        let head = text(
            ResponseHead(status: .ok).serialized(date: date, contentLength: length, chunked: false, close: false))
        #expect(head.hasSuffix("\r\nContent-Length: \(length)\r\n\r\n"))
    }

    @Test func aHeadOfManyLongFieldsIsWrittenWholeAfterWhatTheBufferHeld() {
        var headers = HTTPHeaders()
        var expected = "HTTP/1.1 599 \(String(repeating: "r", count: 300))\r\n"
        for index in 0..<40 {
            let value = String(repeating: "v", count: index * 37)
            headers.add(name: "X-Field-\(index)", value: value)
            expected += "X-Field-\(index): \(value)\r\n"
        }
        headers.add(.constant(name: "Cache-Control", value: "no-store"))
        expected += "Cache-Control: no-store\r\nX-Fixed: 1\r\nDate: \(date)\r\n"
        expected += "Content-Length: 123456789\r\nConnection: keep-alive\r\n\r\n"
        let head = ResponseHead(
            status: HTTPStatus(code: 599, reason: String(repeating: "r", count: 300)), headers: headers,
            fixedLines: Array("X-Fixed: 1\r\n".utf8))
        var out = Array("before".utf8)
        head.serialize(
            into: &out, date: date, contentLength: 123_456_789, chunked: false, close: false, announceKeepAlive: true)
        #expect(text(out) == "before" + expected)
    }

    @Test func closingChunkedResponseSaysSo() {
        let head = ResponseHead(status: .ok, headers: ["Content-Type": "text/event-stream"])
        #expect(
            text(head.serialized(date: date, contentLength: nil, chunked: true, close: true))
                == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nDate: \(date)\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    }

    @Test func responsesWithoutContentGetNoFramingFields() {
        for status in [HTTPStatus.noContent, .notModified, .continue] {
            #expect(
                text(
                    ResponseHead(status: status).serialized(date: date, contentLength: 0, chunked: false, close: false))
                    == "HTTP/1.1 \(status.code) \(status.reason)\r\nDate: \(date)\r\n\r\n")
        }
        #expect(
            text(ResponseHead(status: .notFound).serialized(date: date, contentLength: 0, chunked: false, close: true))
                == "HTTP/1.1 404 Not Found\r\nDate: \(date)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func lineBreaksInValuesCannotSplitTheResponse() {
        let head = ResponseHead(status: .created, headers: ["Location": "/a\r\nSet-Cookie: x"])
        let written = text(head.serialized(date: date, contentLength: 0, chunked: false, close: false))
        #expect(written.contains("Location: /a  Set-Cookie: x\r\n"))
    }

    @Test func statusesCarryStandardReasons() {
        #expect(HTTPStatus(code: 431).reason == "Request Header Fields Too Large")
        #expect(HTTPStatus.contentTooLarge == HTTPStatus(code: 413, reason: "Content Too Large"))
        #expect(HTTPStatus(code: 299).reason == "Unknown")
        #expect(
            text(
                ResponseHead(status: HTTPStatus(code: 599, reason: "Custom"))
                    .serialized(date: date, contentLength: 1_234_567, chunked: false, close: false)
            ).hasPrefix(
                "HTTP/1.1 599 Custom\r\nDate: \(date)\r\nContent-Length: 1234567\r\n"))
    }

    @Test func chunkEncoderFramesPiecesAndEndsTheBody() {
        #expect(text(ChunkEncoder.chunk(Array("data: hi\n\n".utf8))) == "a\r\ndata: hi\n\n\r\n")
        #expect(ChunkEncoder.chunk([UInt8]()).isEmpty)
        #expect(text(ChunkEncoder.prefix(size: 0x1F3A)) == "1f3a\r\n")
        #expect(text(ChunkEncoder.end) == "0\r\n\r\n")
    }

    @Test func encodedChunksParseBackToTheSameBody() {
        var body: [UInt8] = []
        let pieces = ["event: a\n\n", String(repeating: "x", count: 300), "z"]
        for piece in pieces { ChunkEncoder.append(Array(piece.utf8), to: &body) }
        body += ChunkEncoder.end
        let request = expectRequest(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + String(decoding: body, as: UTF8.self))
        #expect(request?.body == Array(pieces.joined().utf8))
    }

    @Test func headersLookUpNamesCaseInsensitively() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-A": "1"]
        headers.add(name: "x-a", value: "2")
        #expect(headers["CONTENT-TYPE"] == "a")
        #expect(headers.values(for: "X-a") == ["1", "2"])
        headers.replaceOrAdd(name: "X-A", value: "3")
        #expect(headers.map(\.value) == ["a", "3"])
        headers.remove(name: "content-type")
        #expect(headers.count == 1 && headers["content-type"] == nil)
    }

    @Test func aConstantFieldIsWrittenAsAnOrdinaryOneAndLooksUpTheSame() {
        var constant = HTTPHeaders()
        constant.add(.constant(name: "Cache-Control", value: "no-store"))
        let ordinary: HTTPHeaders = ["Cache-Control": "no-store"]
        let bytes = { (headers: HTTPHeaders) in
            ResponseHead(status: .ok, headers: headers).serialized(
                date: date, contentLength: 0, chunked: false, close: false)
        }
        #expect(bytes(constant) == bytes(ordinary))
        #expect(constant["cache-control"] == "no-store")
        #expect(constant == ordinary)
    }

    @Test func aChangedConstantFieldIsWrittenWithItsNewValue() {
        var field = HTTPHeaders.Field.constant(name: "X-A", value: "1")
        field.value = "2"
        var headers = HTTPHeaders()
        headers.add(field)
        let head = ResponseHead(status: .ok, headers: headers)
        #expect(
            text(head.serialized(date: date, contentLength: 0, chunked: false, close: false)).contains("X-A: 2\r\n"))
    }

    @Test func lineBreaksAndNULInFieldTextBecomeSpaces() {
        let head = ResponseHead(status: .ok, headers: ["X-Echo": "a\r\nSet-Cookie: b\u{0}c"])
        #expect(
            text(head.serialized(date: date, contentLength: 0, chunked: false, close: false)).contains(
                "X-Echo: a  Set-Cookie: b c\r\n"))
    }
}
