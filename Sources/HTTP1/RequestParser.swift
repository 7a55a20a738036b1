/// Incremental HTTP/1.0 and 1.1 request parser (RFC 9112): a pure state machine that the
/// connection feeds with whatever bytes it has, getting back one event and how many bytes it may
/// drop. It borrows the caller's bytes (body pieces are ranges into them), builds strings only for
/// what the head keeps, and remembers how far it scanned so a drip-fed request is not rescanned.
///
/// Decisions beyond the RFC's MUSTs (each is a place where a lenient parser enables smuggling):
/// - Lines end with CRLF only. A bare LF (or a CR not followed by LF) anywhere in the head, chunk
///   framing or trailers is refused with 400, although RFC 9112 §2.2 would allow accepting a bare LF.
/// - Empty lines (CRLF) before a request line are skipped; they count toward the request-line limit.
/// - Any token is accepted as a method (routing answers unknown ones), except `PRI`, the start of
///   the HTTP/2 preface, which is refused with 400.
/// - CONNECT is parsed (its target must be authority-form) but not supported: its head is reported
///   with no body and `keepAlive == false`, so the server answers it and closes instead of reading
///   tunnel bytes as HTTP. `Upgrade` is just a header: the request is served as plain HTTP.
/// - A `Host` is required (exactly one) in HTTP/1.1 and never allowed twice, checked here so the
///   rule lives in one place; `requiresHost: false` exists for tests that feed host-less samples.
/// - Transfer codings: only a single, final `chunked` is implemented. `chunked` twice or not last,
///   an empty coding, `Transfer-Encoding` in HTTP/1.0, or together with `Content-Length` → 400; any
///   other coding name (gzip, identity…) → 501.
/// - `Expect: 100-continue` sets `expectsContinue` when the request has a body; any other
///   expectation → 417. HTTP/1.0 requests' `Expect` is ignored (RFC 9110 §10.1.1).
/// - Trailer fields are parsed and limited like headers, then dropped.
package struct RequestParser: Sendable {
    /// Where the state machine stands; one case per thing it waits for.
    enum State: Sendable, Equatable {
        case requestStart, emptyLineLF, method, target, version
        case fieldStart, fieldName, fieldValue, fieldLF, sectionEndLF
        case fixedBody
        case chunkSize, chunkSizeWhitespace, chunkExtension, chunkSizeLF
        case chunkData, chunkDataCR, chunkDataLF
        case messageComplete, closed, failed
    }

    /// What a phase's scan loop decided.
    enum Step {
        /// The state changed to another phase; keep going at the same offset.
        case next
        /// The bytes ran out; resume at the scan offset next time.
        case needMore
        /// Return this event, consuming this many leading bytes.
        case emit(ParseEvent, consumed: Int)
    }

    let settings: Settings
    var state = State.requestStart
    /// Why the parser failed, once it has; boxed, since nearly no parser ever holds one.
    var failure: HTTPError? {
        get { failureBox?.error }
        set { failureBox = newValue.map(FailureBox.init) }
    }
    private var failureBox: FailureBox?
    /// Bytes at the start of the caller's span already scanned into the state (never consumed).
    var scanned = 0
    /// Start of the token being scanned: method, target, version or field name.
    var mark = 0
    var nameEnd = 0
    var valueStart = 0
    var valueEnd = 0
    var inValueLeadingWhitespace = false
    /// Start of the field section (head or trailers) for the size limit.
    var sectionStart = 0
    var fieldCount = 0
    var inTrailers = false
    var pending = PendingHead()
    var keepAlive = true
    /// Body bytes still expected: of the whole body (fixed) or of the current chunk.
    var remaining = 0
    var bodyTotal = 0
    var chunkLineStart = 0
    var chunkDigits = 0
    var extensionState = ChunkExtensionState.beforeName

    /// Creates a parser for one connection; `requiresHost` is for tests of host-less samples only.
    package init(limits: HTTPLimits = .standard, requiresHost: Bool = true) {
        self.init(settings: Settings(limits: limits, requiresHost: requiresHost))
    }

    /// Creates a parser for one connection with settings its server's connections share.
    package init(settings: Settings) {
        self.settings = settings
    }

    /// The limits and rules a server's parsers share, held by reference so a connection's parser
    /// does not carry its own copy (idle connections are counted in thousands).
    package final class Settings: Sendable {
        let limits: HTTPLimits
        let requiresHost: Bool

        package init(limits: HTTPLimits, requiresHost: Bool = true) {
            // A kept field line stores its name's and value's byte counts in two bytes each.
            precondition(limits.maxHeaderBytes <= Int(UInt16.max), "the header section limit must be below 64 KiB")
            self.limits = limits
            self.requiresHost = requiresHost
        }
    }

    var limits: HTTPLimits { settings.limits }
    var requiresHost: Bool { settings.requiresHost }

    /// Parses from the start of `bytes` (all of the caller's not-yet-consumed bytes). Returns one
    /// event and how many leading bytes it consumed; the caller drops exactly those before the next
    /// call and keeps calling until it gets `.needMoreBytes` (consumed is then 0). On
    /// `.needMoreBytes` the parser remembers how far it scanned, so a drip-fed head is not rescanned.
    ///
    /// This dispatch switch (and the scan loops it calls) is the parser's whole state machine; it
    /// stays in one place on purpose so every transition can be read top to bottom.
    package mutating func parse(_ bytes: Span<UInt8>) -> (event: ParseEvent, consumed: Int) {
        precondition(bytes.count >= scanned, "parse(_:) must get the bytes it did not consume again")
        var i = scanned
        while true {
            let step: Step
            switch state {
            case .requestStart, .emptyLineLF, .method, .target, .version:
                step = scanRequestLine(bytes, &i)
            case .fieldStart, .fieldName, .fieldValue, .fieldLF, .sectionEndLF:
                step = scanFields(bytes, &i)
            case .fixedBody:
                step = readFixedBody(bytes, &i)
            case .chunkSize, .chunkSizeWhitespace, .chunkExtension, .chunkSizeLF,
                .chunkData, .chunkDataCR, .chunkDataLF:
                step = scanChunked(bytes, &i)
            case .messageComplete:
                step = endMessage(consumed: i)
            case .closed:
                step =
                    i < bytes.count
                    ? fail(.badRequest, "data after the last request of a closing connection")
                    : .needMore
            case .failed:
                return (.failure(failure!), 0)
            }
            switch step {
            case .next:
                continue
            case .needMore:
                scanned = i
                return (.needMoreBytes, 0)
            case .emit(let event, let consumed):
                scanned = i - consumed
                return (event, consumed)
            }
        }
    }

    /// End of stream: an error if it ended inside a message (nil between messages, after a
    /// closing request, or once the parser already failed).
    package mutating func finish() -> HTTPError? {
        switch state {
        case .requestStart, .emptyLineLF, .messageComplete, .closed, .failed:
            return nil
        default:
            let error = HTTPError(status: .badRequest, detail: "the connection ended inside a request")
            failure = error
            state = .failed
            return error
        }
    }

    /// Moves to the failed state and reports `error`.
    mutating func fail(_ error: HTTPError) -> Step {
        failure = error
        state = .failed
        return .emit(.failure(error), consumed: 0)
    }

    /// Moves to the failed state with `status` and `detail`.
    mutating func fail(_ status: HTTPStatus, _ detail: String) -> Step {
        fail(HTTPError(status: status, detail: detail))
    }

    /// Reports the end of the request and gets ready for the next one (or for closing).
    mutating func endMessage(consumed: Int) -> Step {
        state = keepAlive ? .requestStart : .closed
        inTrailers = false
        return .emit(.messageEnd, consumed: consumed)
    }
}

/// Copies `bytes[range]` into a String: validated UTF-8 copied as is, anything else (obs-text that
/// is not UTF-8) decoded with replacement characters.
func makeString(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String {
    let slice = bytes.extracting(range)
    if let text = try? UTF8Span(validating: slice) {
        return String(copying: text)
    }
    var copy: [UInt8] = []
    copy.reserveCapacity(range.count)
    for index in range { copy.append(bytes[index]) }
    return String(decoding: copy, as: UTF8.self)
}

private final class FailureBox: Sendable {
    let error: HTTPError

    init(_ error: HTTPError) {
        self.error = error
    }
}
