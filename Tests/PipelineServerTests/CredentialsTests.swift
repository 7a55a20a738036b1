import Foundation
import Testing

@testable import PipelineServer

/// The constant-time comparison behind Basic auth: equal content is not enough, the lengths must
/// be equal in full (a length difference folded into one byte once let `admin:admin` plus 256
/// characters in).
struct CredentialsTests {
    let secret = Array("admin".utf8)

    @Test(arguments: [1, 255, 256, 257, 65_536])
    func aLongerCandidateWithTheSamePrefixIsRejected(extra: Int) {
        let candidate = secret + [UInt8](repeating: UInt8(ascii: "x"), count: extra)
        // Booleans, not the arrays, go into the expectations: a failure prints its operands.
        let acceptedArray = Credentials.constantTimeEquals(secret, candidate)
        let acceptedSlice = Credentials.constantTimeEquals(secret, candidate[...])
        let acceptedString = Credentials.constantTimeEquals(secret, String(decoding: candidate, as: UTF8.self))
        #expect(!acceptedArray)
        #expect(!acceptedSlice)
        #expect(!acceptedString)
    }

    @Test(arguments: [1, 255, 256, 257, 65_536])
    func aShorterCandidateIsRejected(missing: Int) {
        let expected = [UInt8](repeating: UInt8(ascii: "a"), count: 65_537)
        let accepted = Credentials.constantTimeEquals(expected, Array(expected.dropLast(missing)))
        #expect(!accepted)
    }

    @Test func everyProperPrefixIsRejectedAndOnlyTheWholeMatches() {
        for length in 0..<secret.count {
            #expect(!Credentials.constantTimeEquals(secret, secret.prefix(length)))
            #expect(!Credentials.constantTimeEquals(secret, String(decoding: secret.prefix(length), as: UTF8.self)))
        }
        #expect(Credentials.constantTimeEquals(secret, "admin"))
        #expect(!Credentials.constantTimeEquals(secret, "admiN"))
        #expect(Credentials.constantTimeEquals(secret, secret[...]))
        #expect(Credentials.constantTimeEquals([], [UInt8]()))
    }

    @Test func theCanonicalHeaderWith256ExtraCharactersIsNotAccepted() {
        let authenticator = Authenticator(credentials: .demo)
        let header = "Basic " + Data("admin:admin".utf8).base64EncodedString()
        #expect(authenticator.check(header) == nil)
        let padded256 = authenticator.check(header + String(repeating: "A", count: 256))
        #expect(padded256 != nil)
        let padded = "admin:admin" + String(repeating: "x", count: 256)
        #expect(authenticator.check("Basic " + Data(padded.utf8).base64EncodedString()) == .mismatch)
    }
}
