/// A format check on a string field, and the sentence reported when the check fails.
enum FieldRule {
    case gitRepository, ecrRepository, clusterName, serverURL, stageName, command

    static let maximumCommandBytes = 64 * 1024

    func accepts(_ text: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .gitRepository: FieldRules.isGitRepository(text)
        case .ecrRepository: FieldRules.isECRRepository(text)
        case .clusterName: FieldRules.isClusterName(text)
        case .serverURL: FieldRules.isURL(text, schemes: FieldRules.httpSchemes)
        case .stageName: !FieldRules.startsWithDecimalDigit(text)
        case .command: text.count <= Self.maximumCommandBytes
        }
    }

    var message: String {
        switch self {
        case .gitRepository: FieldMessage.gitRepository
        case .ecrRepository: FieldMessage.ecrRepository
        case .clusterName: FieldMessage.clusterName
        case .serverURL: FieldMessage.serverURL
        case .stageName: FieldMessage.stageNameStartsWithDigit
        case .command: FieldMessage.maximumBytes(Self.maximumCommandBytes)
        }
    }
}

/// Hand-written matchers for the string formats of API.md (no regex engine, no Foundation).
/// Each works on the UTF-8 bytes of the field, so a trailing newline or any stray byte fails
/// the match.
enum FieldRules {
    // Byte arrays, not strings: these are compared against every URL of every write.
    static let gitSchemes = ["https", "http", "ssh", "git"].map { Array($0.utf8) }
    static let httpSchemes = ["https", "http"].map { Array($0.utf8) }
    private static let ecrInfix = Array(".dkr.ecr.".utf8)
    private static let ecrSuffix = Array(".amazonaws.com/".utf8)
    private static let schemeSeparator = Array("://".utf8)

    /// `^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/[a-zA-Z0-9-_]+$` with ASCII digits.
    static func isECRRepository(_ text: ArraySlice<UInt8>) -> Bool {
        var rest = text
        guard rest.count > 12, rest.prefix(12).allSatisfy(isASCIIDigit) else { return false }
        rest = rest.dropFirst(12)
        guard consume(ecrInfix, from: &rest) else { return false }
        let region = rest.prefix { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        guard !region.isEmpty else { return false }
        rest = rest.dropFirst(region.count)
        guard consume(ecrSuffix, from: &rest) else { return false }
        return !rest.isEmpty && rest.allSatisfy(isNameByte)
    }

    /// `^[a-zA-Z0-9-_]+$`
    static func isClusterName(_ text: ArraySlice<UInt8>) -> Bool {
        !text.isEmpty && text.allSatisfy(isNameByte)
    }

    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 63 characters.
    static func isDNSLabel(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && text.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// A `scheme://[userinfo@]host[:port][/...]` URL with a non-empty host, or for git also
    /// scp-like `user@host:path`.
    static func isGitRepository(_ text: ArraySlice<UInt8>) -> Bool {
        isURL(text, schemes: gitSchemes) || isSCPLike(text)
    }

    static func isURL(_ text: ArraySlice<UInt8>, schemes: [[UInt8]]) -> Bool {
        guard text.allSatisfy(isVisible), let colon = text.firstIndex(of: UInt8(ascii: ":")) else {
            return false
        }
        let scheme = text[..<colon]
        var rest = text[colon...]
        guard schemes.contains(where: { scheme.elementsEqual($0) { lowercased($0) == $1 } }),
            consume(schemeSeparator, from: &rest)
        else { return false }
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        let hostAndPort = authority.lastIndex(of: UInt8(ascii: "@")).map { authority[(($0) + 1)...] } ?? authority
        return isHostAndPort(hostAndPort)
    }

    /// `user@host:path` where user and host contain no `@`, `:` or `/`, and path is non-empty.
    static func isSCPLike(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.allSatisfy(isVisible), let at = text.firstIndex(of: UInt8(ascii: "@")) else {
            return false
        }
        let user = text[..<at]
        let afterAt = text[text.index(after: at)...]
        guard let colon = afterAt.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let host = afterAt[..<colon]
        let path = afterAt[afterAt.index(after: colon)...]
        let plain = { (part: ArraySlice<UInt8>) in
            !part.isEmpty && !part.contains { "@:/".utf8.contains($0) }
        }
        return plain(user) && plain(host) && !path.isEmpty
    }

    /// Whether the first character is a Unicode decimal digit (what `\d` matches in a
    /// Unicode-aware regex), not only 0–9.
    static func startsWithDecimalDigit(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        if first < 0x80 { return isASCIIDigit(first) }
        let scalar = String(decoding: text.prefix(4), as: UTF8.self).unicodeScalars.first
        return scalar?.properties.numericType == .decimal
    }

    // MARK: - Byte classes

    private static func isHostAndPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        var host = bytes
        var port = bytes[bytes.endIndex...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            host = bytes[bytes.index(after: bytes.startIndex)..<close]
            let after = bytes[bytes.index(after: close)...]
            guard after.isEmpty || after.first == UInt8(ascii: ":") else { return false }
            port = after.dropFirst()
            let isAddressByte = { (byte: UInt8) in
                Hex.isDigit(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
            }
            return !host.isEmpty && host.allSatisfy(isAddressByte) && port.allSatisfy(isASCIIDigit)
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            host = bytes[..<colon]
            port = bytes[bytes.index(after: colon)...]
        }
        let hostByte = { (byte: UInt8) in
            isNameByte(byte) || byte >= 0x80 || ".~%!$&'()*+,;=".utf8.contains(byte)
        }
        return !host.isEmpty && host.allSatisfy(hostByte) && port.allSatisfy(isASCIIDigit)
    }

    private static func consume(_ literal: [UInt8], from rest: inout ArraySlice<UInt8>) -> Bool {
        guard rest.starts(with: literal) else { return false }
        rest = rest.dropFirst(literal.count)
        return true
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIIDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    /// `[a-zA-Z0-9-_]`
    private static func isNameByte(_ byte: UInt8) -> Bool {
        let folded = byte | 0x20  // maps A–Z onto a–z and nothing else onto a–z
        return (folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z"))
            || isASCIIDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// No spaces, no control characters (non-ASCII bytes are allowed).
    private static func isVisible(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0x7F
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
