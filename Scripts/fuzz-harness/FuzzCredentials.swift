// libFuzzer entry point for HTTP Basic credentials: Base64, the constant-time comparison and the
// Authenticator (Sources/PipelineServer/Base64.swift, Credentials.swift, Authenticator.swift,
// compiled together with this file by Scripts/fuzz). The first input byte splits the rest into an
// account (username, password) and an `Authorization` header. Besides memory errors and traps:
// - Base64 round-trips any bytes, and whatever it decodes re-encodes to the same length;
// - the constant-time comparison agrees with `==` for every pair of byte strings;
// - the account's own header is accepted, with the scheme in any case and blanks around it;
// - an accepted header's token decodes to exactly `username:password`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCredentials(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let control = Int(data[0])
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let userEnd = min(rest.count, control & 0x0f)
    let passwordEnd = min(rest.count, userEnd + (control >> 4) * 4)
    let username = Array(rest[..<userEnd])
    let password = Array(rest[userEnd..<passwordEnd])
    let header = Array(rest[passwordEnd...])

    let encoded = Base64.encode(rest)
    precondition(Base64.decode(encoded[...]) == (rest.isEmpty ? nil : rest), "base64 does not round-trip")
    if let decoded = Base64.decode(rest[...]) {
        precondition(Base64.encode(decoded).count == rest.count, "decoded bytes re-encode to another length")
    }

    precondition(
        Credentials.constantTimeEquals(username, password) == (username == password),
        "constant-time comparison disagrees with ==")
    precondition(
        Credentials.constantTimeEquals(rest, header) == (rest == header),
        "constant-time comparison disagrees with == (\(rest.count) and \(header.count) bytes)")
    // A candidate that starts with the expected bytes and goes on, by any number of bytes.
    precondition(
        Credentials.constantTimeEquals(password, password + header) == header.isEmpty,
        "a candidate \(header.count) bytes longer than the expected one matched")

    // The Authenticator takes a String, so only valid UTF-8 accounts are meaningful.
    // A username never holds a ':' byte (the server refuses such an account at start); a
    // Character test would miss one that a combining mark joins into another grapheme.
    guard !username.contains(UInt8(ascii: ":")), let user = String(validating: username, as: UTF8.self),
        let pass = String(validating: password, as: UTF8.self)
    else { return 0 }
    let authenticator = Authenticator(credentials: Credentials(username: user, password: pass))
    let token = String(decoding: Base64.encode(username + [UInt8(ascii: ":")] + password), as: UTF8.self)
    precondition(authenticator.check("Basic " + token) == nil, "the account's own header was refused")
    precondition(authenticator.check(" bAsIc \t" + token + " ") == nil, "scheme case or blanks mattered")
    let text = String(decoding: header, as: UTF8.self)
    if authenticator.check(text) == nil {
        let blanks: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t")]
        let words = Array(text.utf8).split(whereSeparator: blanks.contains)
        precondition(words.count == 2, "accepted a header that is not `scheme token`")
        precondition(
            Base64.decode(words[1]) == username + [UInt8(ascii: ":")] + password,
            "accepted a token that is not username:password")
    }
    return 0
}
