import Testing

@testable import PipelineServer

/// HTTP Basic parsing and the three failure sentences, without sockets.
struct AuthenticatorTests {
    let authenticator = Authenticator(credentials: Credentials(username: "ci", password: "p:ss wörd"))

    func header(_ credentials: String) -> String {
        "Basic " + String(decoding: Base64.encode(Array(credentials.utf8)), as: UTF8.self)
    }

    @Test func acceptsTheAccountWhateverTheSchemeCaseAndSpacing() {
        #expect(authenticator.check(header("ci:p:ss wörd")) == nil)
        #expect(authenticator.check("  bAsIc   " + header("ci:p:ss wörd").dropFirst(6) + " ") == nil)
    }

    @Test func missingHeaderOtherSchemeOrEmptyTokenIsNotAuthenticated() {
        #expect(authenticator.check(nil) == .missing)
        #expect(authenticator.check("Bearer abc") == .missing)
        #expect(authenticator.check("Basic") == .missing)
        #expect(authenticator.check("Basic   ") == .missing)
    }

    @Test func undecodableOrColonlessTokenIsInvalid() {
        #expect(authenticator.check("Basic ***") == .malformed)
        #expect(authenticator.check("Basic YWJj=") == .malformed)
        #expect(authenticator.check(header("nocolon")) == .malformed)
    }

    @Test func wrongUserOrPasswordIsIncorrect() {
        #expect(authenticator.check(header("ci:wrong")) == .mismatch)
        #expect(authenticator.check(header("CI:p:ss wörd")) == .mismatch)
        #expect(authenticator.check(header("ci:p:ss wörd!")) == .mismatch)
        #expect(authenticator.check(header(":")) == .mismatch)
    }

    @Test func base64RoundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.count == (length + 2) / 3 * 4)
            if length > 0 { #expect(Base64.decode(encoded[...]) == bytes) }
        }
    }
}
