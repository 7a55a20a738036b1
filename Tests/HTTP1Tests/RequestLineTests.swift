import HTTP1
import Testing

struct RequestLineTests {
    @Test func originFormRequestParsesMethodTargetAndVersion() {
        let request = expectRequest("GET /v1/pipelines?limit=5 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(request?.head.method == "GET")
        #expect(request?.head.target == "/v1/pipelines?limit=5")
        #expect(request?.head.version == .http1_1)
        #expect(request?.head.framing == BodyFraming.none)
    }

    @Test func absoluteFormAndAsteriskTargetsAreAccepted() {
        #expect(
            expectRequest("GET http://example.com:8080/a?b HTTP/1.1\r\nHost: x\r\n\r\n")?.head.target
                == "http://example.com:8080/a?b")
        #expect(expectRequest("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")?.head.target == "*")
    }

    @Test func otherTargetFormsAreRefused() {
        expectRefusal("GET example.com:80 HTTP/1.1\r\nHost: x\r\n\r\n", .badRequest)
        expectRefusal("GET ftp://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", .badRequest)
        expectRefusal("GET /a\u{7F}b HTTP/1.1\r\nHost: x\r\n\r\n", .badRequest)
        expectRefusal("GET /caf\u{E9} HTTP/1.1\r\nHost: x\r\n\r\n", .badRequest)
        expectRefusal("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", .badRequest)
    }

    @Test func connectIsReportedWithoutBodyAndClosesTheConnection() {
        let outcome = verify(
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nContent-Length: 3\r\n\r\nabc")
        #expect(outcome.completed.first?.head.target == "example.com:443")
        #expect(outcome.completed.first?.head.keepAlive == false)
        #expect(outcome.completed.first?.head.framing == BodyFraming.none)
        #expect(outcome.error?.status == .badRequest)  // the tunnel bytes are not parsed as a request
        expectRefusal("CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
    }

    @Test func versionsOtherThanOneZeroAndOneOneGet505() {
        expectRefusal("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .httpVersionNotSupported)
        expectRefusal("GET / HTTP/0.9\r\n\r\n", .httpVersionNotSupported)
        // Decided as soon as the version's digits are in, before the line ends.
        expectRefusal("GET / HTTP/5.6", .httpVersionNotSupported)
    }

    @Test func malformedVersionsAndProtocolsGet400() {
        for line in [
            "GET / http/1.1", "GET / HTTP/1.1 ", "GET / HTTP/11", "GET / RTSP/1.0", "GET /", "GET / HTTP/1.1\n",
        ] {
            expectRefusal(line + "\r\nHost: a\r\n\r\n", .badRequest)
        }
    }

    @Test func invalidMethodCharactersGet400() {
        expectRefusal("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        expectRefusal("\u{1}GET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        #expect(expectRequest("M-SEARCH / HTTP/1.1\r\nHost: a\r\n\r\n")?.head.method == "M-SEARCH")
    }

    @Test func http2PrefaceIsRefused() {
        expectRefusal("PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n", .badRequest)
        expectRefusal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .badRequest)
        expectRefusal("PRI ", .badRequest)  // refused at the method, before the line ends
    }

    @Test func emptyLinesBeforeTheRequestLineAreSkipped() {
        #expect(expectRequest("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")?.head.method == "GET")
        expectRefusal("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
        expectRefusal("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest)
    }

    @Test func requestLineAtTheLimitIsAcceptedAndOneByteMoreGets414() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        let fixed = "GET / HTTP/1.1\r\n".utf8.count
        let atLimit = "GET /" + String(repeating: "a", count: 64 - fixed) + " HTTP/1.1\r\n"
        #expect(expectRequest(atLimit + "Host: a\r\n\r\n", limits: limits) != nil)
        let over = "GET /" + String(repeating: "a", count: 65 - fixed) + " HTTP/1.1\r\n"
        expectRefusal(over + "Host: a\r\n\r\n", .uriTooLong, limits: limits)
        // Refused once the limit is passed, without waiting for the line to end.
        expectRefusal("GET /" + String(repeating: "a", count: 100), .uriTooLong, limits: limits)
    }

    @Test func standardRequestLineLimitIsEightKibibytes() {
        let target = "/" + String(repeating: "a", count: 8 * 1024)
        expectRefusal("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n", .uriTooLong)
    }
}
