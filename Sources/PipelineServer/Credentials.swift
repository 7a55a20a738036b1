/// The one account allowed to call `/v1`, compared in constant time.
package struct Credentials: Sendable {
    package let username: [UInt8]
    package let password: [UInt8]
    /// True for the out-of-the-box demo account, which start-up warns about.
    package let isDemo: Bool

    package init(username: String, password: String) {
        self.username = Array(username.utf8)
        self.password = Array(password.utf8)
        isDemo = false
    }

    private init(demoUsername: String, password: String) {
        username = Array(demoUsername.utf8)
        self.password = Array(password.utf8)
        isDemo = true
    }

    /// `admin`/`admin`, active only when nothing else is configured.
    package static let demo = Credentials(demoUsername: "admin", password: "admin")

    /// Compares every byte of `expected` whatever `candidate` holds, so the time taken does not
    /// reveal how many leading bytes matched. The lengths are compared in full: folding their
    /// difference into a byte once let a candidate 256 bytes longer than `expected` match.
    static func constantTimeEquals(_ expected: [UInt8], _ candidate: some Collection<UInt8>) -> Bool {
        let lengthDifference = expected.count ^ candidate.count
        var difference: UInt8 = 0
        var position = candidate.startIndex
        for byte in expected {
            if position != candidate.endIndex {
                difference |= byte ^ candidate[position]
                position = candidate.index(after: position)
            } else {
                difference |= 1
            }
        }
        return lengthDifference == 0 && difference == 0
    }

    /// The same comparison over a string's UTF-8 in place.
    static func constantTimeEquals(_ expected: [UInt8], _ candidate: String) -> Bool {
        constantTimeEquals(expected, candidate.utf8.span)
    }

    /// The same comparison over borrowed bytes: the `Authorization` value nearly every request
    /// carries goes through here, read in place from the request head, and walking a collection
    /// by index costs several times more.
    static func constantTimeEquals(_ expected: [UInt8], _ bytes: Span<UInt8>) -> Bool {
        let lengthDifference = expected.count ^ bytes.count
        var difference: UInt8 = 0
        for index in expected.indices {
            difference |= index < bytes.count ? expected[index] ^ bytes[index] : 1
        }
        return lengthDifference == 0 && difference == 0
    }
}
