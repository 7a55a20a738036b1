import Foundation
import TestSupport
import Testing

/// A start-up failure of the real binary (a port already taken, an unreadable credentials
/// file) is a runtime error: one sentence and status 1, not a usage error with the usage text.
struct StartupFailureTests {
    /// Runs `pipeline-server` until it exits (StartupTests' runner); its status and standard error.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        try StartupTests().runToExit(arguments)
    }

    @Test func aTakenPortExitsWithStatusOneAndOneSentence() async throws {
        let holder = try ServerHarness()
        defer { _ = holder.stop() }
        let (status, errors) = try await onThread { try Self.run(["--host", "127.0.0.1", "--port", "\(holder.port)"]) }
        #expect(status == 1)
        let lines = errors.split(separator: "\n").filter { !$0.contains("demo account") }
        #expect(
            lines == ["pipeline-server: cannot listen on 127.0.0.1:\(holder.port): address already in use (EADDRINUSE)"]
        )
        #expect(!errors.lowercased().contains("usage"))
    }
}
