// The request line: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).

extension RequestParser {
    /// Scans (or resumes scanning) the request line and any empty lines before it.
    mutating func scanRequestLine(_ bytes: Span<UInt8>, _ i: inout Int) -> Step {
        let stop = min(bytes.count, limits.maxRequestLineBytes)
        while i < stop {
            switch state {
            case .requestStart:
                let byte = bytes[i]
                if byte == ASCII.cr {
                    state = .emptyLineLF
                    i += 1
                } else if isTokenByte(byte) {
                    mark = i
                    state = .method
                } else {
                    return fail(
                        .badRequest,
                        byte == ASCII.lf
                            ? "a bare LF is not a line end" : "the request line does not start with a method")
                }
            case .emptyLineLF:
                guard bytes[i] == ASCII.lf else { return fail(.badRequest, "a CR without LF before the request line") }
                state = .requestStart
                i += 1
            case .method:
                i = bytes.skip(from: i, to: stop, while: isTokenByte)
                if i == stop { break }
                guard bytes[i] == ASCII.space else { return fail(.badRequest, "invalid character in the method") }
                pending.method = Literal.knownMethod(bytes, mark..<i) ?? makeString(bytes, mark..<i)
                if bytes.equals(mark..<i, Literal.priMethod) {
                    return fail(.badRequest, "the HTTP/2 connection preface is not supported")
                }
                pending.isConnect = bytes.equals(mark..<i, Literal.connectMethod)
                i += 1
                mark = i
                state = .target
            case .target:
                i = bytes.skip(from: i, to: stop, whileWords: isTargetWord, while: isTargetByte)
                if i == stop { break }
                guard bytes[i] == ASCII.space else {
                    return fail(
                        .badRequest,
                        bytes[i] == ASCII.cr || bytes[i] == ASCII.lf
                            ? "the request line has no HTTP version" : "invalid character in the request-target")
                }
                guard i > mark else { return fail(.badRequest, "empty request-target") }
                // Room for what usually follows in the same read: the rest of the head.
                pending.bytes = HeadBytes(
                    target: bytes.extracting(mark..<i), expectedCount: min(bytes.count - mark, Self.headRoom))
                i += 1
                mark = i
                state = .version
            default:
                // Nearly every request line ends in exactly this: taken in one comparison.
                if i == mark, i + Literal.http11LineEnd.count <= stop,
                    bytes.equals(i..<(i + Literal.http11LineEnd.count), Literal.http11LineEnd)
                {
                    pending.version = .http1_1
                    i += Literal.http11LineEnd.count
                    return finishRequestLine(at: i)
                }
                if let step = scanVersionByte(bytes, &i) { return step }
            }
        }
        return bytes.count > stop
            ? fail(.uriTooLong, "the request line is longer than \(limits.maxRequestLineBytes) bytes")
            : .needMore
    }

    /// Checks one byte of `HTTP/x.y CRLF`; returns a step once the line is complete or wrong.
    private mutating func scanVersionByte(_ bytes: Span<UInt8>, _ i: inout Int) -> Step? {
        let position = i - mark
        let byte = bytes[i]
        i += 1
        switch position {
        case 0...4:
            let expected: UInt8 =
                switch position {
                case 0: 0x48  // H
                case 1, 2: 0x54  // T
                case 3: 0x50  // P
                default: ASCII.slash
                }
            guard byte == expected else { return fail(.badRequest, "the protocol is not HTTP") }
        case 5, 7:
            guard byte >= 0x30 && byte <= 0x39 else { return fail(.badRequest, "malformed HTTP version") }
            if position == 7 { return checkVersion(major: bytes[mark + 5], minor: byte) }
        case 6:
            guard byte == 0x2E else { return fail(.badRequest, "malformed HTTP version") }
        case 8:
            guard byte == ASCII.cr else { return fail(.badRequest, "the request line does not end after the version") }
        default:
            guard byte == ASCII.lf else { return fail(.badRequest, "a CR without LF after the request line") }
            return finishRequestLine(at: i)
        }
        return nil
    }

    private mutating func checkVersion(major: UInt8, minor: UInt8) -> Step? {
        switch (major, minor) {
        case (0x31, 0x31): pending.version = .http1_1
        case (0x31, 0x30): pending.version = .http1_0
        default: return fail(.httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are supported")
        }
        return nil
    }

    /// Validates the target's form for the method, then moves on to the header section at `end`.
    private mutating func finishRequestLine(at end: Int) -> Step {
        let isConnect = pending.isConnect
        if let detail = pending.bytes.withTargetBytes({ Self.targetFormProblem($0, isConnect: isConnect) }) {
            return fail(.badRequest, detail)
        }
        state = .fieldStart
        sectionStart = end
        fieldCount = 0
        return .next
    }

    /// The most room a head's kept bytes get before its field lines are seen: enough for nearly
    /// every head, and not the size of a whole pipelined read.
    static let headRoom = 1024

    /// Why the target's form does not suit the method, if it does not.
    private static func targetFormProblem(_ target: Span<UInt8>, isConnect: Bool) -> String? {
        if isConnect {
            var hasColon = false
            for index in target.indices {
                guard isAuthorityByte(target[index]) else { return connectNeedsAuthority }
                if target[index] == ASCII.colon { hasColon = true }
            }
            return target[0] != ASCII.slash && hasColon ? nil : connectNeedsAuthority
        }
        if target[0] == ASCII.slash || target.count == 1 && target[0] == 0x2A { return nil }  // "/…" or "*"
        if hasHTTPScheme(target) { return nil }
        return "the request-target is not origin-form, absolute-form or *"
    }

    private static let connectNeedsAuthority = "CONNECT needs an authority-form target (host:port)"
}

/// Whether `target` starts with `http://` or `https://` (any case), the only absolute-form
/// targets that make sense for this server.
func hasHTTPScheme(_ target: Span<UInt8>) -> Bool {
    for scheme in [Literal.httpScheme, Literal.httpsScheme] where target.count >= scheme.count {
        if target.equalsLowercased(0..<scheme.count, scheme) { return true }
    }
    return false
}
