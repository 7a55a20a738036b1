import Foundation
import Testing

/// `watch` follows the event stream: one JSON event per line, Ctrl-C ends it with status 0.
@Suite(.enabled(if: Binaries.serverIsBuilt, "pipeline-server is not built"))
struct WatchTests {
    @Test func printsStageStartedAfterATriggerAndExitsZeroOnInterrupt() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let document = #"{"name": "Watched", "git_repository": "https://github.com/example/repo", "stages": [{"name": "Run tests", "type": "Run", "command": "pytest"}]}"#
        let created = try await server.pipeline(["create-pipeline", "--data", document])
        let id = try #require(created.json?["id"] as? String, "\(created)")

        let watch = try startPipeline(["watch", "--pipeline-id", id, "--base-url", server.baseURL] + TestServer.credentials)
        defer { watch.kill() }
        _ = try await watch.stderr.line(containing: "watching")  // connected: no event can be missed

        let triggered = try await server.pipeline(["trigger-pipeline", "--pipeline-id", id])
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")
        let line = try await watch.stdout.line(containing: "stage_started")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(event["type"] as? String == "stage_started")
        #expect(event["pipeline_id"] as? String == id)
        #expect(event["run_id"] as? String == runID)
        #expect(event["stage"] as? String == "Run tests")

        watch.interrupt()
        #expect(await watch.exitStatus() == 0)
        // Every line printed is one whole JSON object.
        for printed in watch.stdout.text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(printed.utf8))) is [String: Any], "\(printed)")
        }
    }
}
