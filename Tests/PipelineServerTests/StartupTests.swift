import Foundation
import TestSupport
import Testing

/// Start-up rules for the demo account and configuration errors.
struct StartupTests {
    /// Runs `pipeline-server` with `arguments` (and `environment` added) until it exits (at most
    /// 10 s); returns its status and standard error.
    func runToExit(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = try SpawnedProcess(
            ServerHarness.productsDirectory.appendingPathComponent("pipeline-server").path,
            // In memory unless the test names a data directory, as in `ServerHarness`.
            arguments + (arguments.contains("--data-dir") ? [] : ["--in-memory"]),
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PIPELINE_") }
                .merging(environment) { $1 },
            standardInput: .null, standardOutput: .pipe, standardError: .pipe)
        // The output ends when the server exits; one still running after 10 s is stopped.
        var errors = process.readOutput(within: 10).standardError
        if process.isRunning {
            process.terminate()
            errors += process.readOutput().standardError
        }
        return (process.waitForExit(), errors)
    }

    @Test func demoAccountRefusesANonLoopbackAddress() async throws {
        let (status, errors) = try await onThread { try runToExit(["--host", "0.0.0.0", "--port", "0"]) }
        #expect(status == 1)  // a start-up failure, not a usage error
        #expect(errors.contains("refusing to listen on 0.0.0.0 with the demo account"))
        #expect(!errors.contains("Usage"))
    }

    @Test func demoAccountBeyondLoopbackOnlyWhenAllowed() async throws {
        let server = try ServerHarness(["--host", "0.0.0.0", "--allow-default-credentials"])
        let status = try await onThread {
            try RawClient(port: server.port).sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")?.status
        }
        #expect(status == 200)
        #expect(server.log.contains("using the demo account"))
        _ = server.stop()
    }

    @Test func unknownLogLevelIsABadArgument() async throws {
        let (status, errors) = try await onThread { try runToExit(["--port", "0", "--log-level", "loud"]) }
        #expect(status == 64)  // EX_USAGE, with the usage text
        #expect(errors.contains("--log-level"))
        #expect(errors.contains("Usage"))
    }

    /// A temporary file holding `text`.
    func credentialsFile(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID())")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func aCredentialsFileReplacesTheDemoAccount() async throws {
        let path = try credentialsFile("ci:pa:ss word\nignored:line\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try ServerHarness(["--credentials-file", path])
        let statuses = try await onThread { () -> [Int?] in
            let api = try APIClient(port: server.port)
            return ["admin:admin", "ci:pa:ss word", "ignored:line"].map { account in
                api.authorization = "Basic " + Data(account.utf8).base64EncodedString()
                return api.request("GET", "/v1/pipelines")?.status
            }
        }
        #expect(statuses == [401, 200, 401])
        #expect(server.stop() == 0)
        #expect(!server.log.contains("demo account"))
    }

    @Test func aMissingCredentialsFileStopsStartUpWithOneSentence() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID())").path
        let (status, errors) = try await onThread { try runToExit(["--port", "0", "--credentials-file", path]) }
        #expect(status == 1)
        #expect(errors == "pipeline-server: cannot read credentials file \(path): No such file or directory\n")
    }

    @Test func aCredentialsFileWithoutAColonStopsStartUpWithOneSentence() async throws {
        for text in ["admin\n", ":nouser\n", ""] {
            let path = try credentialsFile(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let (status, errors) = try await onThread { try runToExit(["--port", "0", "--credentials-file", path]) }
            #expect(status == 1, "\(text)")
            #expect(
                errors == "pipeline-server: credentials file \(path) must hold one line username:password\n", "\(text)")
        }
    }
}
