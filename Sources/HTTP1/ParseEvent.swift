/// Why a request was refused: the status the server answers with (then closes) and a sentence for
/// the problem+json `detail` and the log.
package struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status to answer with: 400, 413, 414, 417, 431, 501 or 505.
    package var status: HTTPStatus
    /// A human sentence saying what was wrong.
    package var detail: String

    /// Creates an error.
    package init(status: HTTPStatus, detail: String) {
        self.status = status
        self.detail = detail
    }

    /// "400 Bad Request: …", for logs and test messages.
    package var description: String { "\(status): \(detail)" }
}

/// What one `RequestParser.parse(_:)` call found; the connection acts on it and calls again until
/// it gets `.needMoreBytes`.
package enum ParseEvent: Sendable, Equatable {
    /// Nothing complete yet: keep the unconsumed bytes, append more, call again (consumed is 0).
    case needMoreBytes
    /// A request head is complete; its body (if any) follows in later events.
    case head(RequestHead)
    /// A piece of body: indices into the span passed to `parse(_:)`. Valid until the caller drops
    /// the consumed bytes, so copy or process it first.
    case body(Range<Int>)
    /// The request is complete (right after `.head` when there is no body). If the head's
    /// `keepAlive` was false, the connection should answer and close without parsing further:
    /// any later bytes are refused with 400.
    case messageEnd
    /// The parser is dead: answer `error.status` (unless the response already started) and close.
    case failure(HTTPError)
}
