import Foundation
import Testing

/// Start-up rules for the demo account and configuration errors.
struct StartupTests {
    /// Runs `pipeline-server` with `arguments` until it exits (at most 10 s); returns its status
    /// and standard error.
    func runToExit(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = ServerHarness.productsDirectory.appendingPathComponent("pipeline-server")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PIPELINE_") }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func demoAccountRefusesANonLoopbackAddress() async throws {
        let (status, errors) = try await onThread { try runToExit(["--host", "0.0.0.0", "--port", "0"]) }
        #expect(status != 0)
        #expect(errors.contains("refusing to listen on 0.0.0.0 with the demo account"))
    }

    @Test func demoAccountBeyondLoopbackOnlyWhenAllowed() async throws {
        let server = try ServerHarness(["--host", "0.0.0.0", "--allow-default-credentials"])
        let status = try await onThread { try RawClient(port: server.port).sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")?.status }
        #expect(status == 200)
        #expect(server.log.contains("using the demo account"))
        _ = server.stop()
    }

    @Test func unknownLogLevelIsABadArgument() async throws {
        let (status, errors) = try await onThread { try runToExit(["--port", "0", "--log-level", "loud"]) }
        #expect(status != 0)
        #expect(errors.contains("--log-level"))
    }
}
