/// A response's status and handler-chosen headers, serialised in one pass into the bytes the
/// connection writes before the body. The framing headers (`Date`, `Content-Length` or
/// `Transfer-Encoding`, `Connection`) are added here from arguments, so handlers cannot get them
/// wrong or send them twice.
package struct ResponseHead: Sendable, Equatable {
    /// The status line's code and reason.
    package var status: HTTPStatus
    /// Fields written in order; must not include Date, Content-Length, Transfer-Encoding or Connection.
    package var headers: HTTPHeaders

    /// Creates a head.
    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.headers = headers
    }

    /// The serialised head: status line, `headers`, `Date: date`, then `Content-Length` (when
    /// `contentLength` is given) or `Transfer-Encoding: chunked`, `Connection: close` when `close`
    /// (or `Connection: keep-alive` when `announceKeepAlive`: an HTTP/1.0 client assumes a close
    /// unless told otherwise), and the empty line. 1xx, 204 and 304 responses never get `Content-Length` or
    /// `Transfer-Encoding` (RFC 9110 §8.6, §15.4.5), whatever is passed; for HEAD pass the GET
    /// length. `date` is the preformatted IMF-fixdate from the server's clock cache.
    package func serialized(
        date: String, contentLength: Int?, chunked: Bool, close: Bool, announceKeepAlive: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.count * 48)
        serialize(
            into: &out, date: date, contentLength: contentLength, chunked: chunked, close: close,
            announceKeepAlive: announceKeepAlive)
        return out
    }

    /// Appends the serialised head to `out` (see `serialized(date:contentLength:chunked:close:)`),
    /// for callers that reuse a buffer.
    package func serialize(
        into out: inout [UInt8], date: String, contentLength: Int?, chunked: Bool, close: Bool,
        announceKeepAlive: Bool = false
    ) {
        precondition(!(chunked && contentLength != nil), "a response is either chunked or has a Content-Length")
        precondition(!(close && announceKeepAlive), "a connection either closes or stays open")
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &out)
        out.append(ASCII.space)
        appendFieldText(status.reason, to: &out)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers {
            assert(!isFramingField(field.name), "\(field.name) is written by serialize, not by handlers")
            appendFieldText(field.name, to: &out)
            out.append(contentsOf: ": ".utf8)
            appendFieldText(field.value, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date.utf8)
        let hasNoContent = status.code < 200 || status.code == 204 || status.code == 304
        if hasNoContent {
            // No framing fields: these responses end with their head.
        } else if let contentLength {
            out.append(contentsOf: "\r\nContent-Length: ".utf8)
            appendDecimal(contentLength, to: &out)
        } else if chunked {
            out.append(contentsOf: "\r\nTransfer-Encoding: chunked".utf8)
        }
        if close {
            out.append(contentsOf: "\r\nConnection: close".utf8)
        } else if announceKeepAlive {
            out.append(contentsOf: "\r\nConnection: keep-alive".utf8)
        }
        out.append(contentsOf: "\r\n\r\n".utf8)
    }
}

private func isFramingField(_ name: String) -> Bool {
    ["date", "content-length", "transfer-encoding", "connection"].contains { asciiCaseInsensitiveEquals($0, name) }
}

/// Appends `text`, replacing CR, LF and NUL with spaces so a value taken from a request can never
/// split the response.
private func appendFieldText(_ text: String, to out: inout [UInt8]) {
    let bytes = text.utf8.span
    out.append(addingCapacity: bytes.count) { output in
        for index in bytes.indices {
            let byte = bytes[index]
            output.append(byte == ASCII.cr || byte == ASCII.lf || byte == 0 ? ASCII.space : byte)
        }
    }
}

/// Appends the decimal digits of a non-negative `value` without creating a String.
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    precondition(value >= 0, "negative length or status")
    var divisor = 1
    while divisor <= value / 10 { divisor *= 10 }
    var rest = value
    while divisor > 0 {
        out.append(ASCII.zero + UInt8(rest / divisor))
        rest %= divisor
        divisor /= 10
    }
}
