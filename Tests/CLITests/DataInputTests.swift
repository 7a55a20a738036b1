import Foundation
import Testing

/// `--data` takes inline JSON, `@file` or `-` (stdin), and invalid JSON never leaves the machine.
struct DataInputTests {
    static let document = #"{"name": "From input", "git_repository": "https://github.com/example/repo", "stages": []}"#

    @Test
    func documentFromFileIsCreated() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID()).json")
        try Data(Self.document.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let created = try await server.pipeline(["create-pipeline", "--data", "@\(file.path)"])
        #expect(created.status == 0, "\(created)")
        let id = try #require(created.json?["id"] as? String)
        let fetched = try await server.pipeline(["get-pipeline", "--pipeline-id", id])
        #expect(fetched.json?["name"] as? String == "From input")
    }

    @Test
    func documentFromStandardInputIsCreatedWithEnvironmentSettings() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let environment = ["PIPELINE_URL": server.baseURL, "PIPELINE_USERNAME": "admin", "PIPELINE_PASSWORD": "admin"]
        let created = try await runPipeline(
            ["create-pipeline", "--data", "-"], stdin: Data(Self.document.utf8), environment: environment)
        #expect(created.status == 0, "\(created)")
        let id = try #require(created.json?["id"] as? String)
        let fetched = try await runPipeline(["get-pipeline", "--pipeline-id", id], environment: environment)
        #expect(fetched.json?["name"] as? String == "From input")
    }

    @Test func invalidJSONIsRejectedWithItsPositionAndNothingIsSent() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let result = try await runPipeline([
            "create-pipeline", "--base-url", listener.baseURL, "--username", "a", "--password", "b",
            "--data", "{\"name\": \"x\",\n  \"stages\": [1 2]}",
        ])
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("line 2, column 16"), "\(result.stderr)")
        #expect(!listener.receivedConnection)
    }

    @Test func invalidJSONOnStandardInputIsRejectedBeforeUpdating() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let result = try await runPipeline(
            [
                "update-pipeline", "--pipeline-id", "p", "--base-url", listener.baseURL, "--username", "a",
                "--password", "b", "--data", "-",
            ],
            stdin: Data("{\"name\": ".utf8))
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("standard input"))
        #expect(result.stderr.contains("end of input"))
        #expect(!listener.receivedConnection)
    }

    @Test func unreadableDataFileExitsSixtyFour() async throws {
        let result = try await runPipeline([
            "create-pipeline", "--username", "a", "--password", "b", "--data", "@/nonexistent/pipeline.json",
        ])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("/nonexistent/pipeline.json"))
    }
}
