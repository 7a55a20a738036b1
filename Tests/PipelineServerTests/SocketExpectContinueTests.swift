import Foundation
import TestSupport
import Testing

/// curl's own `Expect: 100-continue` handshake against the real server.
struct SocketExpectContinueTests {
    @Test func largeBodyWithExpectContinueThroughCurl() async throws {
        let server = try ServerHarness()
        // Some curl versions send `Expect: 100-continue` by themselves only for large bodies, so ask
        // for it explicitly; the body is padded past 1 KiB as a real client's would be.
        let padded = sampleDocument.replacingOccurrences(
            of: #""pytest""#, with: "\"pytest \(String(repeating: "x", count: 2000))\"")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID()).json")
        try padded.write(to: file, atomically: true, encoding: .utf8)
        let curl = try SpawnedProcess(
            "/usr/bin/env",
            [
                "curl", "-sS", "-v", "-u", "admin:admin", "-H", "Content-Type: application/json", "-H",
                "Expect: 100-continue",
                "--data-binary", "@\(file.path)", "http://127.0.0.1:\(server.port)/v1/pipelines",
            ], standardInput: .null, standardOutput: .pipe, standardError: .pipe)
        let output = curl.readOutput()
        _ = await curl.waitForExit()
        let body = output.standardOutput
        let trace = output.standardError
        #expect(trace.contains("Expect: 100-continue"))
        #expect(trace.contains("HTTP/1.1 100 Continue"))
        #expect(body.contains("Pipeline created successfully."))
        _ = server.stop()
    }
}
