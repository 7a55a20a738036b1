/// The request head while its field lines arrive: the kept bytes plus what the framing-relevant
/// fields (`Host`, `Content-Length`, `Transfer-Encoding`, `Connection`, `Expect`) said so far. The
/// fields are interpreted straight from the caller's bytes as each line completes, so a bad one is
/// refused at once and no lowercase copy is ever made.
struct PendingHead: Sendable {
    var method = ""
    /// Whether the method is CONNECT, noted from the bytes so no String comparison is needed.
    var isConnect = false
    var version = HTTPVersion.http1_1
    /// The target and the field lines kept so far.
    var bytes = HeadBytes()
    var hostCount = 0
    var contentLength: Int?
    var hasTransferEncoding = false
    var chunkedCount = 0
    var lastCodingIsChunked = false
    var hasUnknownCoding = false
    var transferEncodingIsMalformed = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false

    /// Interprets one field line and keeps it; returns why the request must be refused, if so.
    mutating func addField(_ source: Span<UInt8>, name: Range<Int>, value: Range<Int>) -> HTTPError? {
        if let error = interpret(source, name: name, value: value) { return error }
        bytes.appendField(source, name: name, value: value)
        return nil
    }

    private mutating func interpret(_ bytes: Span<UInt8>, name: Range<Int>, value: Range<Int>) -> HTTPError? {
        // Length and first letter pick the candidate, so most fields cost two comparisons.
        switch (name.count, asciiLowercased(bytes[name.lowerBound])) {
        case (4, 0x68) where bytes.equalsLowercased(name, Literal.host):
            hostCount += 1
            if hostCount > 1 { return badRequest("more than one Host field") }
            let host = bytes.extracting(value)
            for index in host.indices where !isAuthorityByte(host[index]) {
                return badRequest("invalid character in Host")
            }
        case (6, 0x65) where bytes.equalsLowercased(name, Literal.expect):
            if version == .http1_1 { return interpretExpect(bytes, value) }
        case (10, 0x63) where bytes.equalsLowercased(name, Literal.connection):
            var cursor = value.lowerBound
            while let option = bytes.nextListElement(&cursor, end: value.upperBound) {
                if bytes.equalsLowercased(option, Literal.close) { connectionClose = true }
                if bytes.equalsLowercased(option, Literal.keepAlive) { connectionKeepAlive = true }
            }
        case (14, 0x63) where bytes.equalsLowercased(name, Literal.contentLength):
            return interpretContentLength(bytes, value)
        case (17, 0x74) where bytes.equalsLowercased(name, Literal.transferEncoding):
            hasTransferEncoding = true
            var cursor = value.lowerBound
            while let coding = bytes.nextListElement(&cursor, end: value.upperBound) {
                if coding.isEmpty || chunkedCount > 0 && lastCodingIsChunked {
                    transferEncodingIsMalformed = true  // empty, or something after `chunked`
                }
                lastCodingIsChunked = bytes.equalsLowercased(coding, Literal.chunked)
                if lastCodingIsChunked { chunkedCount += 1 } else if !coding.isEmpty { hasUnknownCoding = true }
            }
        default:
            break
        }
        return nil
    }

    /// `Content-Length`: digits only; a comma list or repeated lines must all carry the same value.
    private mutating func interpretContentLength(_ bytes: Span<UInt8>, _ value: Range<Int>) -> HTTPError? {
        var cursor = value.lowerBound
        while let element = bytes.nextListElement(&cursor, end: value.upperBound) {
            guard !element.isEmpty else { return badRequest("empty Content-Length") }
            var length = 0
            for index in element {
                let digit = bytes[index] &- ASCII.zero
                guard digit < 10 else { return badRequest("Content-Length is not a number") }
                let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
                guard !overflow1 && !overflow2 else { return badRequest("Content-Length is too large") }
                length = sum
            }
            if let previous = contentLength, previous != length {
                return badRequest("Content-Length values disagree")
            }
            contentLength = length
        }
        return nil
    }

    private mutating func interpretExpect(_ bytes: Span<UInt8>, _ value: Range<Int>) -> HTTPError? {
        var cursor = value.lowerBound
        while let expectation = bytes.nextListElement(&cursor, end: value.upperBound) {
            if expectation.isEmpty { continue }
            guard bytes.equalsLowercased(expectation, Literal.hundredContinue) else {
                return HTTPError(status: .expectationFailed, detail: "only the 100-continue expectation is supported")
            }
            expectsContinue = true
        }
        return nil
    }

    /// Decides framing and connection handling once the header section is complete, and hands
    /// the method and the kept bytes over to the head: moved out, not copied, leaving this
    /// empty for the next request.
    mutating func takeHead(limits: HTTPLimits, requiresHost: Bool) -> Result<RequestHead, HTTPError> {
        if requiresHost && version == .http1_1 && hostCount == 0 {
            return .failure(badRequest("an HTTP/1.1 request needs a Host field"))
        }
        var framing = BodyFraming.none
        if hasTransferEncoding {
            if version == .http1_0 { return .failure(badRequest("Transfer-Encoding in an HTTP/1.0 request")) }
            if contentLength != nil { return .failure(badRequest("both Content-Length and Transfer-Encoding")) }
            if transferEncodingIsMalformed || chunkedCount > 1 {
                return .failure(badRequest("chunked must be the single, final transfer coding"))
            }
            if hasUnknownCoding {
                return .failure(
                    HTTPError(status: .notImplemented, detail: "only the chunked transfer coding is supported"))
            }
            framing = .chunked
        } else if let length = contentLength, length > 0 {
            if length > limits.maxBodyBytes {
                return .failure(
                    HTTPError(status: .contentTooLarge, detail: "the body is larger than \(limits.maxBodyBytes) bytes"))
            }
            framing = .length(length)
        }
        if isConnect { framing = .none }
        let keepAlive = !isConnect && !connectionClose && (version == .http1_1 || connectionKeepAlive)
        var (method, bytes) = ("", HeadBytes())
        swap(&method, &self.method)
        swap(&bytes, &self.bytes)
        return .success(
            RequestHead(
                method: method, version: version, bytes: bytes, keepAlive: keepAlive,
                expectsContinue: expectsContinue && framing != .none, framing: framing))
    }

    private func badRequest(_ detail: String) -> HTTPError {
        HTTPError(status: .badRequest, detail: detail)
    }
}

/// The names, tokens and methods the parser interprets, as bytes (lowercase for the
/// case-insensitive ones): iterating a String's UTF-8 view per comparison costs several times more.
enum Literal {
    static let host = Array("host".utf8)
    static let expect = Array("expect".utf8)
    static let connection = Array("connection".utf8)
    static let contentLength = Array("content-length".utf8)
    static let transferEncoding = Array("transfer-encoding".utf8)
    static let close = Array("close".utf8)
    static let keepAlive = Array("keep-alive".utf8)
    static let chunked = Array("chunked".utf8)
    static let hundredContinue = Array("100-continue".utf8)
    static let connectMethod = Array("CONNECT".utf8)
    static let priMethod = Array("PRI".utf8)
    static let http11LineEnd = Array("HTTP/1.1\r\n".utf8)
    static let httpScheme = Array("http://".utf8)
    static let httpsScheme = Array("https://".utf8)

    /// The common methods, spelled as clients send them: one of these is taken as the literal
    /// string instead of validating and copying the bytes into a new one.
    private static let methods = ["GET", "POST", "PUT", "DELETE", "HEAD"].map { (Array($0.utf8), $0) }

    static func knownMethod(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String? {
        for (spelling, string) in methods where bytes.equals(range, spelling) { return string }
        return nil
    }
}

extension Span where Element == UInt8 {
    /// Whether `self[range]` equals the lowercase ASCII `literal`, ignoring the case of the bytes.
    func equalsLowercased(_ range: Range<Int>, _ literal: [UInt8]) -> Bool {
        guard range.count == literal.count else { return false }
        var index = range.lowerBound
        for expected in literal {
            guard asciiLowercased(self[index]) == expected else { return false }
            index += 1
        }
        return true
    }

    /// Whether `self[range]` is exactly `literal` (case-sensitive, for methods).
    func equals(_ range: Range<Int>, _ literal: [UInt8]) -> Bool {
        guard range.count == literal.count else { return false }
        var index = range.lowerBound
        for expected in literal {
            guard self[index] == expected else { return false }
            index += 1
        }
        return true
    }

    /// The next element of the comma-separated list in `self[cursor..<end]`, OWS trimmed (possibly
    /// empty); moves `cursor` past it; nil once the list is exhausted.
    func nextListElement(_ cursor: inout Int, end: Int) -> Range<Int>? {
        guard cursor <= end else { return nil }
        var start = cursor
        var stop = cursor
        while stop < end && self[stop] != ASCII.comma { stop += 1 }
        cursor = stop + 1
        while start < stop && isWhitespace(self[start]) { start += 1 }
        while stop > start && isWhitespace(self[stop - 1]) { stop -= 1 }
        return start..<stop
    }
}
