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

    /// What the router sees of a path: each kept segment, decoded.
    static func names(_ path: Substring) -> [String] {
        let segments = PathSegments(path)
        return (0..<min(segments.count, PathSegments.capacity)).map { segments.decoded($0) ?? "?" }
    }

    @Test(arguments: [
        ("/", [String]()), ("//", [""]), ("/a", ["a"]), ("/a/", ["a"]), ("/a//", ["a", ""]),
        ("/v1/a/b", ["v1", "a", "b"]), ("/a//b", ["a", "", "b"]), ("/%61/b%2Fc", ["a", "b/c"]),
    ])
    func pathsSplitOnSlashesWithOneTrailingSlashIgnored(path: String, expected: [String]) {
        #expect(Self.names(Substring(path)) == expected)
    }

    @Test func anEncodedSlashStaysInsideItsSegmentAndDecodes() {
        let segments = PathSegments("/x/c%2Fd/")
        #expect(segments.count == 2)
        #expect(segments.decoded(1) == "c/d")
        #expect(PathSegments("/x/%zz").decoded(1) == nil, "a malformed escape does not decode")
    }

    @Test func aSegmentIsLentAsSent() {
        let segments = PathSegments("/x/c%2Fd/")
        #expect(segments.withRawBytes(1) { bytes in bytes.indices.map { bytes[$0] } } == Array("c%2Fd".utf8))
        #expect(segments.withRawBytes(0) { $0.count } == 1)
    }

    @Test func aPathLongerThanTheCapacityIsCountedButNotKept() {
        let segments = PathSegments(Substring("/" + Array(repeating: "a", count: 12).joined(separator: "/")))
        #expect(segments.count == 12)
        #expect(segments.segment(PathSegments.capacity - 1, equals: Array("a".utf8)), "the last kept segment")
        #expect(PathSegments("/a/b").count == 2)
        #expect(PathSegments("/a/b").segment(1, equals: Array("b".utf8)))
    }
}
