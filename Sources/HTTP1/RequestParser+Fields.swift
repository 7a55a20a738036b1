// Field lines of the header section and of the trailer section (RFC 9112 §5): name ":" OWS value
// OWS CRLF, ended by an empty line.

extension RequestParser {
    /// Scans (or resumes scanning) field lines until the empty line that ends the section.
    mutating func scanFields(_ bytes: Span<UInt8>, _ i: inout Int) -> Step {
        let stop = min(bytes.count, sectionStart + limits.maxHeaderBytes)
        while i < stop {
            switch state {
            case .fieldStart:
                let byte = bytes[i]
                if byte == ASCII.cr {
                    state = .sectionEndLF
                    i += 1
                } else if isTokenByte(byte) {
                    mark = i
                    state = .fieldName
                    i += 1
                } else {
                    return fail(.badRequest, fieldStartProblem(byte))
                }
            case .fieldName:
                i = bytes.skip(from: i, to: stop, while: isTokenByte)
                if i == stop { break }
                guard bytes[i] == ASCII.colon else {
                    return fail(
                        .badRequest,
                        isWhitespace(bytes[i])
                            ? "whitespace between a field name and its colon" : "invalid character in a field name")
                }
                nameEnd = i
                i += 1
                inValueLeadingWhitespace = true
                state = .fieldValue
            case .fieldValue:
                if inValueLeadingWhitespace {
                    i = bytes.skip(from: i, to: stop, while: isWhitespace)
                    if i == stop { break }
                    inValueLeadingWhitespace = false
                    valueStart = i
                }
                i = bytes.skip(from: i, to: stop, whileWords: isPlainValueWord, while: isFieldValueByte)
                if i == stop { break }
                guard bytes[i] == ASCII.cr else {
                    return fail(
                        .badRequest,
                        bytes[i] == ASCII.lf
                            ? "a bare LF is not a line end" : "control character in a field value")
                }
                valueEnd = i
                while valueEnd > valueStart && isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
                state = .fieldLF
                i += 1
            case .fieldLF:
                guard bytes[i] == ASCII.lf else { return fail(.badRequest, "a CR without LF in a field line") }
                i += 1
                state = .fieldStart
                if let step = completeField(bytes) { return step }
            default:
                guard bytes[i] == ASCII.lf else { return fail(.badRequest, "a CR without LF after the fields") }
                i += 1
                return inTrailers ? endMessage(consumed: i) : completeHead(consumed: i)
            }
        }
        guard bytes.count > stop else { return .needMore }
        return fail(
            .requestHeaderFieldsTooLarge,
            "the \(inTrailers ? "trailer" : "header") section is larger than \(limits.maxHeaderBytes) bytes")
    }

    private func fieldStartProblem(_ byte: UInt8) -> String {
        switch byte {
        case ASCII.space, ASCII.tab:
            fieldCount == 0 ? "whitespace before the first field line" : "obsolete line folding is not accepted"
        case ASCII.lf: "a bare LF is not a line end"
        case ASCII.colon: "empty field name"
        default: "invalid character in a field name"
        }
    }

    /// Counts the finished field line and, in the head, interprets and keeps it.
    private mutating func completeField(_ bytes: Span<UInt8>) -> Step? {
        fieldCount += 1
        guard fieldCount <= limits.maxHeaderCount else {
            return fail(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) field lines")
        }
        if inTrailers { return nil }
        if let error = pending.addField(bytes, name: mark..<nameEnd, value: valueStart..<valueEnd) {
            return fail(error)
        }
        return nil
    }

    /// Turns the collected head into an event and sets up reading its body.
    private mutating func completeHead(consumed: Int) -> Step {
        let head: RequestHead
        switch pending.takeHead(limits: limits, requiresHost: requiresHost) {
        case .success(let made): head = made
        case .failure(let error): return fail(error)
        }
        pending = PendingHead()
        keepAlive = head.keepAlive
        switch head.framing {
        case .none:
            state = .messageComplete
        case .length(let length):
            remaining = length
            state = .fixedBody
        case .chunked:
            bodyTotal = 0
            startChunkLine(at: 0)
        }
        return .emit(.head(head), consumed: consumed)
    }
}
