// Request bodies: a fixed Content-Length, or chunked coding with extensions (validated, then
// ignored) and trailers (RFC 9112 §6–7).

/// Where the scan stands inside the chunk extensions of a chunk-size line.
enum ChunkExtensionState: Sendable {
    case beforeName, name, afterName, beforeValue, tokenValue, quotedValue, quotedPair, afterValue
}

extension RequestParser {
    /// Hands out as much of a Content-Length body as has arrived.
    mutating func readFixedBody(_ bytes: Span<UInt8>, _ i: inout Int) -> Step {
        emitBody(bytes, &i, thenEnter: .messageComplete)
    }

    /// Hands out up to `remaining` body bytes that have arrived (a Content-Length body or one
    /// chunk's data) and moves to `next` once all of them have.
    private mutating func emitBody(_ bytes: Span<UInt8>, _ i: inout Int, thenEnter next: State) -> Step {
        let count = min(bytes.count - i, remaining)
        guard count > 0 else { return .needMore }
        let start = i
        i += count
        remaining -= count
        if remaining == 0 { state = next }
        return .emit(.body(start..<i), consumed: i)
    }

    /// Starts a chunk-size line at `offset`.
    mutating func startChunkLine(at offset: Int) {
        state = .chunkSize
        chunkLineStart = offset
        chunkDigits = 0
        remaining = 0
    }

    /// Scans chunk framing and hands out chunk data; the last chunk leads to the trailer section.
    mutating func scanChunked(_ bytes: Span<UInt8>, _ i: inout Int) -> Step {
        while true {
            switch state {
            case .chunkData:
                return emitBody(bytes, &i, thenEnter: .chunkDataCR)
            case .chunkDataCR, .chunkDataLF:
                guard i < bytes.count else { return .needMore }
                let expected = state == .chunkDataCR ? ASCII.cr : ASCII.lf
                guard bytes[i] == expected else { return fail(.badRequest, "chunk data is not followed by CRLF") }
                i += 1
                if state == .chunkDataCR { state = .chunkDataLF } else { startChunkLine(at: i) }
            default:
                let step = scanChunkLine(bytes, &i)
                guard case .next = step else { return step }
                if state != .chunkData { return .next }  // the last chunk: on to the trailers
            }
        }
    }

    /// Scans a chunk-size line: 1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] ) CRLF.
    private mutating func scanChunkLine(_ bytes: Span<UInt8>, _ i: inout Int) -> Step {
        let stop = min(bytes.count, chunkLineStart + limits.maxChunkLineBytes)
        while i < stop {
            let byte = bytes[i]
            switch state {
            case .chunkSize:
                if let digit = hexValue(byte) {
                    guard remaining <= (Int.max - digit) >> 4 else { return fail(.badRequest, "chunk size overflow") }
                    remaining = remaining << 4 | digit
                    chunkDigits += 1
                } else {
                    guard chunkDigits > 0 else { return fail(.badRequest, "missing chunk size") }
                    if let step = afterChunkSize(byte) { return step }
                }
            case .chunkSizeWhitespace:
                if byte == ASCII.semicolon {
                    state = .chunkExtension
                    extensionState = .beforeName
                } else if !isWhitespace(byte) {
                    return fail(.badRequest, "invalid character after the chunk size")
                }
            case .chunkExtension:
                if let step = scanExtensionByte(byte) { return step }
            default:
                guard byte == ASCII.lf else { return fail(.badRequest, "a CR without LF after the chunk size") }
                i += 1
                return finishChunkLine(at: i)
            }
            i += 1
        }
        return bytes.count > stop
            ? fail(.badRequest, "a chunk-size line is longer than \(limits.maxChunkLineBytes) bytes")
            : .needMore
    }

    private mutating func afterChunkSize(_ byte: UInt8) -> Step? {
        switch byte {
        case ASCII.cr: state = .chunkSizeLF
        case ASCII.semicolon:
            state = .chunkExtension
            extensionState = .beforeName
        case ASCII.space, ASCII.tab: state = .chunkSizeWhitespace
        default: return fail(.badRequest, "invalid character in a chunk size")
        }
        return nil
    }

    /// One byte of chunk extensions; returns a failure, or nil to continue.
    private mutating func scanExtensionByte(_ byte: UInt8) -> Step? {
        let ws = isWhitespace(byte)
        switch extensionState {
        case .beforeName:
            if isTokenByte(byte) { extensionState = .name } else if !ws { return extensionFailure() }
        case .name, .afterName, .tokenValue, .afterValue:
            if extensionState == .name || extensionState == .tokenValue, isTokenByte(byte) { return nil }
            switch byte {
            case ASCII.semicolon: extensionState = .beforeName
            case ASCII.cr: state = .chunkSizeLF
            case ASCII.equals where extensionState == .name || extensionState == .afterName:
                extensionState = .beforeValue
            default:
                guard ws else { return extensionFailure() }
                extensionState =
                    extensionState == .name
                    ? .afterName
                    : extensionState == .tokenValue ? .afterValue : extensionState
            }
        case .beforeValue:
            if byte == ASCII.quote {
                extensionState = .quotedValue
            } else if isTokenByte(byte) {
                extensionState = .tokenValue
            } else if !ws {
                return extensionFailure()
            }
        case .quotedValue:
            if byte == ASCII.quote {
                extensionState = .afterValue
            } else if byte == ASCII.backslash {
                extensionState = .quotedPair
            } else if !isFieldValueByte(byte) {
                return extensionFailure()
            }
        case .quotedPair:
            guard isFieldValueByte(byte) else { return extensionFailure() }
            extensionState = .quotedValue
        }
        return nil
    }

    private mutating func extensionFailure() -> Step {
        fail(.badRequest, "malformed chunk extension")
    }

    /// A complete chunk-size line: count the chunk against the body limit, then read its data, or
    /// after the last chunk, the trailer section.
    private mutating func finishChunkLine(at end: Int) -> Step {
        guard remaining <= limits.maxBodyBytes - bodyTotal else {  // no overflow for a huge chunk size
            return fail(.contentTooLarge, "the body is larger than \(limits.maxBodyBytes) bytes")
        }
        bodyTotal += remaining
        if remaining > 0 {
            state = .chunkData
        } else {
            inTrailers = true
            state = .fieldStart
            sectionStart = end
            fieldCount = 0
        }
        return .next
    }
}
