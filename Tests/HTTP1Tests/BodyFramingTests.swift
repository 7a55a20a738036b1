import HTTP1
import Testing

struct BodyFramingTests {
    @Test func contentLengthBodyIsDeliveredWhole() {
        let request = expectRequest("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(request?.head.framing == .length(5))
        #expect(request?.body == Array("hello".utf8))
    }

    @Test func contentLengthZeroMeansNoBody() {
        #expect(
            expectRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 000\r\n\r\n")?.head.framing == BodyFraming.none
        )
    }

    @Test func contentLengthAcceptsAgreeingDuplicatesAndLists() {
        #expect(expectRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nab")?.body == Array("ab".utf8))
        #expect(expectRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 02\r\n\r\nab") != nil)
    }

    @Test func malformedContentLengthsAreRefused() {
        for value in ["", "-1", "+1", "1 2", "0x10", "1,", "1, 2", "abc", "99999999999999999999999"] {
            expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n", .badRequest)
        }
        expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .badRequest)
        // An overflow is refused at its own line, before the head ends.
        expectRefusal("POST / HTTP/1.1\r\nContent-Length: 1000000000000000000000\r\n", .badRequest)
    }

    @Test func bodyOverTheLimitIsRefusedFromContentLengthBeforeAnyBodyByte() {
        let atLimit = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(1 << 20)\r\n\r\n"
        let outcome = verify(atLimit)
        #expect(outcome.requests.first?.head.framing == .length(1 << 20) && outcome.error == nil)
        expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \((1 << 20) + 1)\r\n\r\n", .contentTooLarge)
    }

    @Test func chunkedBodyIsDechunkedWithExtensionsAndTrailers() {
        let request = expectRequest(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;flag\r\nhello\r\n6 ; q=\"a \\\"b\\\" ;\"\r\n world\r\nA\r\n0123456789\r\n"
                + "000\r\nVary: *\r\nX-Checksum: 1\r\n\r\n")
        #expect(request?.head.framing == .chunked)
        #expect(request?.body == Array("hello world0123456789".utf8))
        #expect(request?.head.headers.contains(name: "vary") == false)  // trailers are dropped
    }

    @Test func transferEncodingIsCaseInsensitive() {
        #expect(
            expectRequest("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n")?.head.framing
                == .chunked)
    }

    @Test func malformedChunkFramingIsRefused() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        for body in [
            "\r\n", "g\r\n", "-1\r\n", "5 \r\nhello\r\n0\r\n\r\n", "5 x\r\n", "5;\r\n", "5;=v\r\n", "5;a=\r\n",
            "5;a=\"x\r\n", "5\nhello\r\n", "5\r\rhello", "5\r\nhelloX\r\n", "5\r\nhello\r\r", "3\r\nfoo\r\n\r\n",
            "0\r\nX : y\r\n\r\n", "0\r\n\r\r", "1\u{0}\r\n",
        ] {
            expectRefusal(head + body, .badRequest)
        }
    }

    @Test func chunkSizeOverflowIsRefused() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let error = expectRefusal(head + "10000000000000000\r\n", .badRequest)
        #expect(error?.detail.contains("overflow") == true)
        // The largest size that fits is refused by the body limit without overflowing the total.
        let outcome = verify(head + "1\r\na\r\n7fffffffffffffff\r\n")
        #expect(outcome.error?.status == .contentTooLarge)
    }

    @Test func chunkedBodyIsRefusedAsSoonAsItPassesTheLimit() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(expectRequest(head + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", limits: limits)?.body.count == 10)
        let outcome = verify(head + "5\r\nhello\r\n6\r\n", limits: limits)
        #expect(outcome.error?.status == .contentTooLarge)
        #expect(outcome.requests.first?.body == Array("hello".utf8))
    }

    @Test func longChunkLinesAreRefused() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        expectRefusal(head + "1;" + String(repeating: "x", count: 5000), .badRequest)
    }

    @Test func trailersAreLimitedLikeHeaders() {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 2
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(expectRequest(head + "0\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits) != nil)
        expectRefusal(head + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", .requestHeaderFieldsTooLarge, limits: limits)
        expectRefusal(head + "0\r\nA: " + String(repeating: "v", count: 17 * 1024), .requestHeaderFieldsTooLarge)
    }

    @Test func contentLengthWithTransferEncodingIsRefused() {
        expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .badRequest)
        expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .badRequest)
    }

    @Test func onlyASingleFinalChunkedIsAccepted() {
        for value in [
            "chunked, gzip", "chunked, chunked", "chunked\r\nTransfer-Encoding: chunked", "", "chunked,", ", chunked",
        ] {
            expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n", .badRequest)
        }
        expectRefusal("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .badRequest)
    }

    @Test func unknownTransferCodingsGet501() {
        for value in ["gzip", "gzip, chunked", "identity", "pigeons", "chunkedchunked", "chunked;x=1"] {
            expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n", .notImplemented)
        }
    }

    @Test func endOfStreamInsideABodyIsAnError() {
        let outcome = verify("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc", finish: true)
        #expect(outcome.error?.status == .badRequest)
        #expect(outcome.requests.first?.body == Array("abc".utf8))
        #expect(verify("GET / HTTP/1.1\r\nHost: a\r\n\r\n", finish: true).error == nil)
        #expect(verify("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n", finish: true).error == nil)
        #expect(verify("GET / HT", finish: true).error?.status == .badRequest)
    }
}
