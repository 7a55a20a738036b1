/// HTTP Basic authentication for every `/v1` route, with the three failure sentences of API.md.
struct Authenticator {
    let credentials: Credentials

    enum Failure: String {
        case missing = "Not authenticated"
        case malformed = "Invalid authentication credentials"
        case mismatch = "Incorrect username or password"
    }

    /// Checks an `Authorization` header value; nil means the caller may proceed.
    func check(_ authorization: String?) -> Failure? {
        guard let authorization else { return .missing }
        let trimmed = authorization.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return .missing }
        guard trimmed[..<space].lowercased() == "basic" else { return .missing }
        let token = trimmed[space...].drop { $0 == " " || $0 == "\t" }
        let tokenEnd = token.lastIndex { $0 != " " && $0 != "\t" }
        guard let tokenEnd else { return .missing }
        guard let decoded = Base64.decode(token[...tokenEnd]),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        else { return .malformed }
        let username = decoded[..<colon]
        let password = decoded[(colon + 1)...]
        return credentials.matches(username: username, password: password) ? nil : .mismatch
    }
}
