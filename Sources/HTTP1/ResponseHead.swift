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
    /// An `ETag` field, written after `headers`. Kept out of the list: every read of a document
    /// answers with one, and a list of its own for it cost an allocation per response.
    package var entityTag: String?

    /// Creates a head.
    package init(
        status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), entityTag: String? = nil, fixedLines: [UInt8] = []
    ) {
        self.status = status
        self.headers = headers
        self.entityTag = entityTag
        self.fixedLines = fixedLines
    }

    /// The serialised head: status line, `headers`, `ETag: entityTag`, `fixedLines`, `Date: date`, then `Content-Length` (when
    /// `contentLength` is given) or `Transfer-Encoding: chunked`, `Connection: close` when `close`
    /// (or `Connection: keep-alive` when `announceKeepAlive`: an HTTP/1.0 client assumes a close
    /// unless told otherwise), and the empty line. 1xx, 204 and 304 responses never get `Content-Length` or
    /// `Transfer-Encoding` (RFC 9110 §8.6, §15.4.5), whatever is passed; for HEAD pass the GET
    /// length. `date` is the preformatted IMF-fixdate from the server's clock cache.
    package func serialized(
        date: String, contentLength: Int?, chunked: Bool, close: Bool, announceKeepAlive: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
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
        let fields = headers.fields.span  // borrowed: no field is copied
        out.appendWriting(maximumCount: maximumCount(date: date)) { writer in
            if status.code == 200 && status.reason == "OK" {
                writer.write(Wire.okStatusLine)  // most answers: the line in one copy
            } else {
                writer.write(Wire.version)
                writer.write(decimal: status.code)
                writer.write(ASCII.space)
                writer.write(fieldText: status.reason)
                writer.write(Wire.lineEnd)
            }
            for index in fields.indices {
                assert(
                    !isFramingField(fields[index].name),
                    "\(fields[index].name) is written by serialize, not by handlers")
                if let line = fields[index].line {
                    writer.write(line)
                } else {
                    Self.writeFieldLine(fields[index], to: &writer)
                }
            }
            if let entityTag {
                writer.write(Wire.entityTag)
                writer.write(fieldText: entityTag)
                writer.write(Wire.lineEnd)
            }
            writer.write(fixedLines)
            writer.write(Wire.date)
            writer.write(verbatim: date)  // the server's own IMF-fixdate: nothing to blank
            let hasNoContent = status.code < 200 || status.code == 204 || status.code == 304
            if hasNoContent {
                // No framing fields: these responses end with their head.
            } else if let contentLength {
                writer.write(Wire.contentLength)
                writer.write(decimal: contentLength)
            } else if chunked {
                writer.write(Wire.chunked)
            }
            if close {
                writer.write(Wire.close)
            } else if announceKeepAlive {
                writer.write(Wire.keepAlive)
            }
            writer.write(Wire.headEnd)
        }
    }

    /// The most bytes `serialize` can write: exact but for the status code and the framing
    /// fields, which are counted at their longest.
    private func maximumCount(date: String) -> Int {
        var count = Wire.fixedRoom + status.reason.utf8.count + fixedLines.count + date.utf8.count
        if let entityTag {
            count += Wire.entityTag.utf8CodeUnitCount + entityTag.utf8.count + Wire.lineEnd.utf8CodeUnitCount
        }
        let fields = headers.fields.span
        for index in fields.indices {
            count += fields[index].line?.count ?? Self.fieldLineCount(fields[index])
        }
        return count
    }
}

extension ResponseHead {
    /// Appends `name: value\r\n` with CR, LF and NUL made spaces.
    static func appendFieldLine(_ field: HTTPHeaders.Field, to out: inout [UInt8]) {
        out.appendWriting(maximumCount: fieldLineCount(field)) { writeFieldLine(field, to: &$0) }
    }

    private static func writeFieldLine(_ field: HTTPHeaders.Field, to writer: inout HeadWriter) {
        writer.write(fieldText: field.name)
        writer.write(Wire.fieldSeparator)
        writer.write(fieldText: field.value)
        writer.write(Wire.lineEnd)
    }

    private static func fieldLineCount(_ field: HTTPHeaders.Field) -> Int {
        field.name.utf8.count + Wire.fieldSeparator.utf8CodeUnitCount + field.value.utf8.count
            + Wire.lineEnd.utf8CodeUnitCount
    }
}

/// The fixed pieces of a head. Static strings: their bytes are in the binary, so writing one is
/// a copy from a constant address, with no lazy initialisation to check and no array to borrow
/// (appending a string literal's UTF-8 view went through the generic sequence path instead).
private enum Wire {
    static let version: StaticString = "HTTP/1.1 "
    static let okStatusLine: StaticString = "HTTP/1.1 200 OK\r\n"
    static let lineEnd: StaticString = "\r\n"
    static let fieldSeparator: StaticString = ": "
    static let date: StaticString = "Date: "
    static let entityTag: StaticString = "ETag: "
    static let contentLength: StaticString = "\r\nContent-Length: "
    static let chunked: StaticString = "\r\nTransfer-Encoding: chunked"
    static let close: StaticString = "\r\nConnection: close"
    static let keepAlive: StaticString = "\r\nConnection: keep-alive"
    static let headEnd: StaticString = "\r\n\r\n"

    /// Room for every piece whose length does not depend on the response: the status line
    /// without its reason, `Date: `, the longest framing fields and the end of the head.
    static var fixedRoom: Int {
        version.utf8CodeUnitCount + HeadWriter.maxDecimalCount + 1 + lineEnd.utf8CodeUnitCount
            + date.utf8CodeUnitCount
            + max(contentLength.utf8CodeUnitCount + HeadWriter.maxDecimalCount, chunked.utf8CodeUnitCount)
            + max(close.utf8CodeUnitCount, keepAlive.utf8CodeUnitCount) + headEnd.utf8CodeUnitCount
    }
}

private func isFramingField(_ name: String) -> Bool {
    ["date", "content-length", "transfer-encoding", "connection"].contains { asciiCaseInsensitiveEquals($0, name) }
}
