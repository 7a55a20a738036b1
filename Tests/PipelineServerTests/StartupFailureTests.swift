import Foundation
import Testing

/// A start-up failure of the real binary (a port already taken, an unreadable credentials
/// file) is a runtime error: one sentence and status 1, not a usage error with the usage text.
struct StartupFailureTests {
    /// Runs `pipeline-server` until it exits; its status and standard error.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = ServerHarness.productsDirectory.appendingPathComponent("pipeline-server")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PIPELINE_") }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // The read ends when the process exits and closes its end of the pipe.
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func aTakenPortExitsWithStatusOneAndOneSentence() async throws {
        let holder = try ServerHarness()
        defer { _ = holder.stop() }
        let (status, errors) = try await onThread { try Self.run(["--host", "127.0.0.1", "--port", "\(holder.port)"]) }
        #expect(status == 1)
        let lines = errors.split(separator: "\n").filter { !$0.contains("demo account") }
        #expect(lines == ["pipeline-server: cannot listen on 127.0.0.1:\(holder.port): address already in use (EADDRINUSE)"])
        #expect(!errors.lowercased().contains("usage"))
    }

    @Test func anUnreadableCredentialsFileExitsWithStatusOneAndOneSentence() async throws {
        let path = "/nonexistent-\(UUID())/credentials"
        let (status, errors) = try await onThread { try Self.run(["--port", "0", "--credentials-file", path]) }
        #expect(status == 1)
        #expect(errors == "pipeline-server: cannot read credentials file \(path)\n")
    }
}
