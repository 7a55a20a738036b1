/// A response's status and handler-chosen headers, serialised in one pass into the bytes the
/// connection writes before the body. The framing headers (`Date`, `Content-Length` or
/// `Transfer-Encoding`, `Connection`) are added here from arguments, so handlers cannot get them
/// wrong or send them twice.
package struct ResponseHead: Sendable, Equatable {
    /// The status line's code and reason.
    package var status: HTTPStatus
    /// Fields written in order; must not include Date, Content-Length, Transfer-Encoding or Connection.
    package var headers: HTTPHeaders
    /// Field lines already on the wire form (`HTTPHeaders.serializedLines`), written after
    /// `headers`: fields that a whole class of responses carries unchanged cost one copy.
    package var fixedLines: [UInt8]

    /// Creates a head.
    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), fixedLines: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.fixedLines = fixedLines
    }

    /// The serialised head: status line, `headers`, `fixedLines`, `Date: date`, then `Content-Length` (when
    /// `contentLength` is given) or `Transfer-Encoding: chunked`, `Connection: close` when `close`
    /// (or `Connection: keep-alive` when `announceKeepAlive`: an HTTP/1.0 client assumes a close
    /// unless told otherwise), and the empty line. 1xx, 204 and 304 responses never get `Content-Length` or
    /// `Transfer-Encoding` (RFC 9110 §8.6, §15.4.5), whatever is passed; for HEAD pass the GET
    /// length. `date` is the preformatted IMF-fixdate from the server's clock cache.
    package func serialized(
        date: String, contentLength: Int?, chunked: Bool, close: Bool, announceKeepAlive: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192 + headers.count * 64 + fixedLines.count)
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
        if status.code == 200 && status.reason == "OK" {
            out.appendCopy(of: Wire.okStatusLine)  // most answers: the line in one copy
        } else {
            out.appendCopy(of: Wire.version)
            appendDecimal(status.code, to: &out)
            out.append(ASCII.space)
            appendFieldText(status.reason, to: &out)
            out.appendCopy(of: Wire.lineEnd)
        }
        let fields = headers.fields.span  // borrowed: no field is copied
        for index in fields.indices {
            assert(
                !isFramingField(fields[index].name), "\(fields[index].name) is written by serialize, not by handlers")
            if let line = fields[index].line {
                out.appendCopy(of: line)
            } else {
                Self.appendFieldLine(fields[index], to: &out)
            }
        }
        if !fixedLines.isEmpty { out.appendCopy(of: fixedLines) }
        out.appendCopy(of: Wire.date)
        appendFieldText(date, to: &out)
        let hasNoContent = status.code < 200 || status.code == 204 || status.code == 304
        if hasNoContent {
            // No framing fields: these responses end with their head.
        } else if let contentLength {
            out.appendCopy(of: Wire.contentLength)
            appendDecimal(contentLength, to: &out)
        } else if chunked {
            out.appendCopy(of: Wire.chunked)
        }
        if close {
            out.appendCopy(of: Wire.close)
        } else if announceKeepAlive {
            out.appendCopy(of: Wire.keepAlive)
        }
        out.appendCopy(of: Wire.headEnd)
    }
}

extension ResponseHead {
    /// Appends `name: value\r\n` with CR, LF and NUL made spaces.
    static func appendFieldLine(_ field: HTTPHeaders.Field, to out: inout [UInt8]) {
        appendFieldText(field.name, to: &out)
        out.appendCopy(of: Wire.fieldSeparator)
        appendFieldText(field.value, to: &out)
        out.appendCopy(of: Wire.lineEnd)
    }
}

/// The fixed pieces of a head as bytes: appending an array is one copy, while appending a string
/// literal's UTF-8 view goes through the generic sequence path at several times the cost.
private enum Wire {
    static let version = Array("HTTP/1.1 ".utf8)
    static let okStatusLine = Array("HTTP/1.1 200 OK\r\n".utf8)
    static let lineEnd = Array("\r\n".utf8)
    static let fieldSeparator = Array(": ".utf8)
    static let date = Array("Date: ".utf8)
    static let contentLength = Array("\r\nContent-Length: ".utf8)
    static let chunked = Array("\r\nTransfer-Encoding: chunked".utf8)
    static let close = Array("\r\nConnection: close".utf8)
    static let keepAlive = Array("\r\nConnection: keep-alive".utf8)
    static let headEnd = Array("\r\n\r\n".utf8)
}

private func isFramingField(_ name: String) -> Bool {
    ["date", "content-length", "transfer-encoding", "connection"].contains { asciiCaseInsensitiveEquals($0, name) }
}

/// Appends `text`, replacing CR, LF and NUL with spaces so a value taken from a request can never
/// split the response. Nearly every value is clean: one scan over its contiguous UTF-8 finds that
/// out, and the bytes are then copied in one go rather than one at a time.
private func appendFieldText(_ text: String, to out: inout [UInt8]) {
    let bytes = text.utf8.span
    var isClean = true
    for index in bytes.indices where isForbiddenInField(bytes[index]) {
        isClean = false
        break
    }
    if isClean {
        // Sound: the buffer is only read, and only inside the closure that lends it.
        let copied: Void? = unsafe text.utf8.withContiguousStorageIfAvailable { unsafe out.append(contentsOf: $0) }
        if copied != nil { return }
    }
    for index in bytes.indices {
        let byte = bytes[index]
        out.append(isForbiddenInField(byte) ? ASCII.space : byte)
    }
}

private func isForbiddenInField(_ byte: UInt8) -> Bool {
    byte == ASCII.cr || byte == ASCII.lf || byte == 0
}

/// Appends the decimal digits of a non-negative `value` without creating a String, with room made
/// for all of them first (one capacity check, not one per digit).
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    precondition(value >= 0, "negative length or status")
    var divisor = 1
    var digits = 1
    while divisor <= value / 10 {
        divisor *= 10
        digits += 1
    }
    out.append(addingCapacity: digits) { output in
        var rest = value
        while divisor > 0 {
            output.append(ASCII.zero + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a copy of `bytes` without taking a reference to them: `append(contentsOf:)` consumes
    /// its argument, so each call on a shared array (the fixed pieces of every head) retained and
    /// released it, an atomic pair each time.
    mutating func appendCopy(of bytes: borrowing [UInt8]) {
        // Sound: the buffer is only read, and only inside the closure that lends it.
        unsafe bytes.withUnsafeBufferPointer { unsafe append(contentsOf: $0) }
    }
}
