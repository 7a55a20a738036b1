import Testing

@testable import UVLoop

/// `PeerAddress` spells itself as the address it holds (what a log line names) and reads back
/// from that spelling (what in-memory tests give a connection).
struct PeerAddressTests {
    @Test(arguments: ["127.0.0.1", "10.1.2.3", "255.255.255.255", "::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1"])
    func anAddressReadsBackAsItsOwnSpelling(text: String) throws {
        let address = try #require(PeerAddress(text))
        #expect(address.description == text)
        #expect(address.isIPv6 == text.contains(":"))
    }

    @Test func textThatIsNoNumericAddressIsRefused() {
        #expect(PeerAddress("localhost") == nil)
        #expect(PeerAddress("10.0.0") == nil)
        #expect(PeerAddress("") == nil)
    }

    @Test func distinctAddressesAreDistinctKeys() throws {
        let a = try #require(PeerAddress("10.0.0.1"))
        let b = try #require(PeerAddress("10.0.0.2"))
        let mapped = try #require(PeerAddress("::ffff:10.0.0.1"))
        #expect(Set([a, b, mapped]).count == 3)
    }
}
