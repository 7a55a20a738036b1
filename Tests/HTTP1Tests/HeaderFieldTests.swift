import HTTP1
import Testing

struct HeaderFieldTests {
    @Test func fieldsKeepOrderCaseAndTrimmedValues() {
        let request = expectRequest("GET / HTTP/1.1\r\nHost: a\r\nX-One:  1 \t\r\nx-one:\t2\r\nEmpty:\r\n\r\n")
        let fields = request.map { Array($0.head.headers).map { [$0.name, $0.value] } }
        #expect(fields == [["Host", "a"], ["X-One", "1"], ["x-one", "2"], ["Empty", ""]])
        #expect(request?.head.headers["X-ONE"] == "1")
        #expect(request?.head.headers.values(for: "x-one") == ["1", "2"])
        guard let headers = request?.head.headers else { return }
        #expect(single("X-ONE", in: headers) == ("1", 2))
        #expect(single("host", in: headers) == ("a", 1))
        #expect(single("Missing", in: headers) == (nil, 0))
        #expect(headers.allValues(named: "x-one") { $0.count > 0 })
        #expect(!headers.allValues(named: "X-One") { $0.count == 1 && $0[0] == UInt8(ascii: "1") }, "the second is 2")
        #expect(headers.allValues(named: "Missing") { _ in false }, "no value fails")
    }

    /// The value of a field that must not repeat, as text, and how many such fields there are.
    private func single(_ name: String, in headers: RequestFields) -> (String?, Int) {
        headers.withValue(ofSingle: name) { value, count in
            guard let value else { return (nil, count) }
            return (String(decoding: value.indices.map { value[$0] }, as: UTF8.self), count)
        }
    }

    @Test func obsTextInValuesIsKept() {
        let request = expectRequest("GET / HTTP/1.1\r\nHost: a\r\nCity: D\u{FC}sseldorf\r\n\r\n")
        #expect(request?.head.headers["city"] == "D\u{FC}sseldorf")
    }

    @Test func obsFoldIsRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\n Host: a\r\n\r\n", .badRequest)
    }

    @Test func whitespaceBeforeColonIsRefused() {
        let error = expectRefusal("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .badRequest)
        #expect(error?.detail.contains("colon") == true)
        expectRefusal("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .badRequest)
    }

    @Test func bareCRAndBareLFAreRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\rX", .badRequest)
    }

    @Test func controlBytesInFieldsAreRefused() {
        for control in ["\u{0}", "\u{1}", "\u{C}", "\u{1B}", "\u{7F}"] {
            expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\(control)b\r\n\r\n", .badRequest)
            expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX\(control)Y: b\r\n\r\n", .badRequest)
        }
    }

    @Test func invalidTokenCharactersInNamesAreRefused() {
        for name in ["Fo@", "a(b)", "\"q\"", "x/y", "{}", "\u{E9}"] {
            expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\(name): v\r\n\r\n", .badRequest)
        }
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", .badRequest)
    }

    @Test func http11RequiresExactlyOneHost() {
        expectRefusal("GET / HTTP/1.1\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .badRequest)
        expectRefusal("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .badRequest)
        #expect(expectRequest("GET / HTTP/1.0\r\n\r\n") != nil)
        #expect(expectRequest("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")?.head.headers["host"] == "[::1]:8080")
        #expect(expectRequest("GET / HTTP/1.1\r\nHost:\r\n\r\n") != nil)  // empty Host is allowed (RFC 9110 §7.2)
    }

    @Test func headerSectionLargerThanTheLimitGets431() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 40
        let fits = "Host: a\r\nX: " + String(repeating: "v", count: 40 - 9 - 5 - 2) + "\r\n\r\n"
        #expect(fits.utf8.count == 40)
        #expect(expectRequest("GET / HTTP/1.1\r\n" + fits, limits: limits) != nil)
        expectRefusal("GET / HTTP/1.1\r\nX" + fits, .requestHeaderFieldsTooLarge, limits: limits)
        // Refused once the limit is passed, without waiting for the section to end.
        expectRefusal(
            "GET / HTTP/1.1\r\nX: " + String(repeating: "v", count: 100), .requestHeaderFieldsTooLarge, limits: limits)
    }

    @Test func standardHeaderSectionLimitIsSixteenKibibytes() {
        let big = "X: " + String(repeating: "v", count: 16 * 1024) + "\r\n"
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n" + big + "\r\n", .requestHeaderFieldsTooLarge)
    }

    @Test func moreThanAHundredFieldsGet431() {
        let hundred = (1...99).map { "X-\($0): v\r\n" }.joined()
        #expect(expectRequest("GET / HTTP/1.1\r\nHost: a\r\n" + hundred + "\r\n")?.head.headers.count == 100)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n" + hundred + "X: v\r\n\r\n", .requestHeaderFieldsTooLarge)
    }
}
