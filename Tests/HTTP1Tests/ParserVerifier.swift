import HTTP1
import Testing

/// One request as a connection would see it: the head, its body bytes, and whether it completed.
struct ParsedRequest: Equatable {
    var head: RequestHead
    var body: [UInt8] = []
    var complete = false
}

/// Everything a connection got out of a byte stream.
struct ParseOutcome: Equatable {
    var requests: [ParsedRequest] = []
    var error: HTTPError?

    var completed: [ParsedRequest] { requests.filter(\.complete) }
}

/// Drives `RequestParser` exactly like a connection: appends each read to a buffer, calls `parse`
/// until it needs more bytes, drops `consumed`, and collects heads and bodies. It also checks the
/// parser's promises (consumed within the buffer, body ranges inside the consumed bytes, no
/// consumption on `.needMoreBytes`).
func drive(
    _ reads: [ArraySlice<UInt8>], limits: HTTPLimits = .standard, requiresHost: Bool = true, finish: Bool = false
) -> ParseOutcome {
    var parser = RequestParser(limits: limits, requiresHost: requiresHost)
    var buffer: [UInt8] = []
    var outcome = ParseOutcome()
    for read in reads {
        buffer.append(contentsOf: read)
        // A head or body event consumes at least a byte and a message end follows one, so a
        // parser that stops making progress stops the run here instead of looping forever.
        let steps = 2 * buffer.count + 2
        for step in 0... {
            precondition(step <= steps, "the parser made no progress")
            let (event, consumed) = parser.parse(buffer.span)
            precondition(consumed >= 0 && consumed <= buffer.count, "consumed \(consumed) of \(buffer.count)")
            switch event {
            case .needMoreBytes:
                precondition(consumed == 0, "needMoreBytes consumed bytes")
            case .head(let head):
                outcome.requests.append(ParsedRequest(head: head))
            case .body(let range):
                precondition(
                    range.lowerBound >= 0 && range.upperBound <= consumed, "body range \(range) outside \(consumed)")
                precondition(!outcome.requests.isEmpty, "body before head")
                outcome.requests[outcome.requests.count - 1].body.append(contentsOf: buffer[range])
            case .messageEnd:
                outcome.requests[outcome.requests.count - 1].complete = true
            case .failure(let error):
                outcome.error = error
                return outcome
            }
            buffer.removeFirst(consumed)
            if case .needMoreBytes = event { break }
        }
    }
    if finish, let error = parser.finish() { outcome.error = error }
    return outcome
}

/// Parses `bytes` whole, split into two reads at every offset, one byte at a time, and returns
/// the outcome after recording an issue for any split that gave a different one. Inputs over
/// 2 KiB are split at their first and last 256 offsets and every 61st in between (still covering
/// every state; it keeps debug-build tests fast).
@discardableResult
func verify(
    _ bytes: [UInt8], limits: HTTPLimits = .standard, requiresHost: Bool = true, finish: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    let whole = drive([bytes[...]], limits: limits, requiresHost: requiresHost, finish: finish)
    var offsets = Array(bytes.indices.dropFirst())
    if bytes.count > 2048 {
        offsets = offsets.filter { $0 < 256 || $0 > bytes.count - 256 || $0 % 61 == 0 }
    }
    for split in offsets {
        let reads = [bytes[..<split], bytes[split...]]
        let outcome = drive(reads, limits: limits, requiresHost: requiresHost, finish: finish)
        if outcome != whole {
            Issue.record("split at \(split) gave \(outcome), whole gave \(whole)", sourceLocation: sourceLocation)
            return whole
        }
    }
    let dripped = drive(bytes.map { [$0][...] }, limits: limits, requiresHost: requiresHost, finish: finish)
    #expect(dripped == whole, "one byte at a time differs", sourceLocation: sourceLocation)
    return whole
}

/// `verify` for text written with `\r\n`.
@discardableResult
func verify(
    _ text: String, limits: HTTPLimits = .standard, requiresHost: Bool = true, finish: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    verify(Array(text.utf8), limits: limits, requiresHost: requiresHost, finish: finish, sourceLocation: sourceLocation)
}

/// Verifies that `text` is one complete request, and that three copies of it back to back (when
/// it keeps the connection alive) give three identical requests. Returns the request.
@discardableResult
func expectRequest(
    _ text: String, limits: HTTPLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation
) -> ParsedRequest? {
    let outcome = verify(text, limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == nil, "unexpected \(String(describing: outcome.error))", sourceLocation: sourceLocation)
    #expect(outcome.requests.count == 1 && outcome.completed.count == 1, sourceLocation: sourceLocation)
    guard let request = outcome.requests.first else { return nil }
    if request.head.keepAlive {
        let three = verify(String(repeating: text, count: 3), limits: limits, sourceLocation: sourceLocation)
        #expect(three.requests == Array(repeating: request, count: 3), sourceLocation: sourceLocation)
        #expect(three.error == nil, sourceLocation: sourceLocation)
    }
    return request
}

/// Verifies that `text` is refused with `status` (whatever the split) and returns the error.
@discardableResult
func expectRefusal(
    _ text: String, _ status: HTTPStatus, limits: HTTPLimits = .standard, finish: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPError? {
    let outcome = verify(text, limits: limits, finish: finish, sourceLocation: sourceLocation)
    #expect(outcome.error?.status == status, "got \(String(describing: outcome.error))", sourceLocation: sourceLocation)
    return outcome.error
}
