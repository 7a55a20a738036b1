import HTTP1
import Testing

/// RFC 3986 §6.2.2.2: a percent-encoded unreserved character is the character; any other escape
/// is not.
struct PathSegmentEquivalenceTests {
    let healthz = Array("healthz".utf8)

    @Test(arguments: ["healthz", "%68ealthz", "%68%65%61%6C%74%68%7A", "%68%65%61%6c%74%68%7a", "health%7A"])
    func encodedUnreservedCharactersMatch(raw: String) {
        #expect(RequestTarget.segment(Substring(raw), equals: healthz))
    }

    @Test(arguments: [
        "health", "healthzz", "Healthz", "%48ealthz", "healthz%", "healthz%7", "%6healthz", "%zzealthz", "",
    ])
    func otherSpellingsDoNotMatch(raw: String) {
        #expect(!RequestTarget.segment(Substring(raw), equals: healthz))
    }

    @Test func everyUnreservedCharacterMatchesItsEscapeAndNoReservedOneDoes() {
        let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        for byte in UInt8(0)...UInt8(255) {
            let hex = String(byte, radix: 16, uppercase: true)
            let escape = "%" + (hex.count == 1 ? "0" + hex : hex)
            #expect(RequestTarget.segment(Substring(escape), equals: [byte]) == unreserved.contains(byte), "\(escape)")
        }
    }

    @Test func anEncodedSlashIsNotASlash() {
        #expect(!RequestTarget.segment("a%2Fb", equals: Array("a/b".utf8)))
    }
}
