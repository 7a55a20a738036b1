import Foundation
import TestSupport
import Testing

/// A port that is already taken is a runtime failure of the real binary, not a usage error.
struct PortInUseTests {
    @Test func aTakenPortExitsWithStatusOneAndOneSentence() async throws {
        let holder = try ServerHarness()
        defer { _ = holder.stop() }
        let (status, errors) = try await onThread { () -> (Int32, String) in
            let process = try SpawnedProcess(
                ServerHarness.productsDirectory.appendingPathComponent("pipeline-server").path,
                ["--host", "127.0.0.1", "--port", "\(holder.port)", "--in-memory"],
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PIPELINE_") },
                standardInput: .null, standardOutput: .pipe, standardError: .pipe)
            // The read ends when the process exits and closes its end of the pipes.
            let text = process.readOutput().standardError
            return (process.waitForExit(), text)
        }
        #expect(status == 1)
        let lines = errors.split(separator: "\n").filter { !$0.contains("demo account") }
        #expect(
            lines == ["pipeline-server: cannot listen on 127.0.0.1:\(holder.port): address already in use (EADDRINUSE)"]
        )
        #expect(!errors.lowercased().contains("usage"))
    }
}
