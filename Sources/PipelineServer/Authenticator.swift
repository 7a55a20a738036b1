/// HTTP Basic authentication for every `/v1` route, with the three failure sentences of API.md.
struct Authenticator {
    let credentials: Credentials
    /// `Basic <base64(user:password)>`, the header value nearly every request carries: matching
    /// it (in constant time) skips decoding.
    private let canonicalHeader: [UInt8]

    init(credentials: Credentials) {
        self.credentials = credentials
        canonicalHeader =
            Array("Basic ".utf8) + Base64.encode(credentials.username + [UInt8(ascii: ":")] + credentials.password)
    }

    enum Failure: String {
        case missing = "Not authenticated"
        case malformed = "Invalid authentication credentials"
        case mismatch = "Incorrect username or password"
    }

    /// Checks an `Authorization` header value; nil means the caller may proceed.
    func check(_ authorization: String?) -> Failure? {
        guard let authorization else { return .missing }
        return check(authorization.utf8.span)
    }

    /// Checks an `Authorization` header value read in place from the request head.
    func check(_ authorization: Span<UInt8>) -> Failure? {
        if Credentials.constantTimeEquals(canonicalHeader, authorization) { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(authorization.count)
        for index in authorization.indices { bytes.append(authorization[index]) }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let schemeStart = bytes.firstIndex(where: { !isBlank($0) }),
            let schemeEnd = bytes[schemeStart...].firstIndex(where: isBlank),
            let tokenStart = bytes[schemeEnd...].firstIndex(where: { !isBlank($0) }),
            let tokenLast = bytes.lastIndex(where: { !isBlank($0) })
        else { return .missing }
        let scheme = bytes[schemeStart..<schemeEnd].map { $0 | 0x20 }  // ASCII lowercase
        guard scheme == Array("basic".utf8) else { return .missing }
        guard let decoded = Base64.decode(bytes[tokenStart...tokenLast]),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        else { return .malformed }
        let userOK = Credentials.constantTimeEquals(credentials.username, decoded[..<colon])
        let passwordOK = Credentials.constantTimeEquals(credentials.password, decoded[(colon + 1)...])
        return userOK && passwordOK ? nil : .mismatch
    }
}
