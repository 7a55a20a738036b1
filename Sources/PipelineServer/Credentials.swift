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

    /// Compares both fields fully whatever their content, so timing does not reveal how many
    /// leading bytes matched or which field was wrong.
    package func matches(username candidateUser: ArraySlice<UInt8>, password candidatePassword: ArraySlice<UInt8>) -> Bool {
        let userOK = Self.constantTimeEquals(username, candidateUser)
        let passwordOK = Self.constantTimeEquals(password, candidatePassword)
        return userOK && passwordOK
    }

    static func constantTimeEquals(_ expected: [UInt8], _ candidate: ArraySlice<UInt8>) -> Bool {
        var difference = UInt8(truncatingIfNeeded: expected.count ^ candidate.count)
        let candidate = Array(candidate)
        for index in expected.indices {
            let other = index < candidate.count ? candidate[index] : ~expected[index]
            difference |= expected[index] ^ other
        }
        return difference == 0
    }
}
