import Foundation
import Testing

/// The commands beyond the seed: listings that follow cursors, and reporting a stage's result.
struct RunCommandTests {
    static func document(_ name: String, stage: String = "Run tests") -> String {
        #"{"name": "\#(name)", "git_repository": "https://github.com/example/repo", "stages": [{"name": "\#(stage)", "type": "Run", "command": "make"}]}"#
    }

    @Test func listPipelinesFollowsCursorsUnlessALimitIsGiven() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        for name in ["one", "two", "three"] {
            let created = try await server.pipeline(["create-pipeline", "--data", Self.document(name)])
            #expect(created.status == 0, "\(created)")
        }
        let page = try await server.pipeline(["list-pipelines", "--limit", "2"])
        #expect(page.status == 0, "\(page)")
        #expect((page.json?["pipelines"] as? [Any])?.count == 2)
        #expect(page.json?["next_cursor"] is String)

        let all = try await server.pipeline(["list-pipelines"])
        #expect(all.status == 0, "\(all)")
        let names = (all.json?["pipelines"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["one", "two", "three"])
        #expect(all.json?["next_cursor"] is NSNull)
    }

    @Test func reportStageEncodesASlashInTheStageName() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let created = try await server.pipeline([
            "create-pipeline", "--data", Self.document("slash", stage: "build/linux"),
        ])
        let id = try #require(created.json?["id"] as? String, "\(created)")
        let triggered = try await server.pipeline(["trigger-pipeline", "--pipeline-id", id])
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")

        let reported = try await server.pipeline([
            "report-stage", "--pipeline-id", id, "--run-id", runID, "--stage", "build/linux", "--status", "succeeded",
        ])
        #expect(reported.status == 0, "\(reported)")
        let run = try await server.pipeline(["get-run", "--pipeline-id", id, "--run-id", runID])
        #expect(run.json?["status"] as? String == "succeeded", "\(run)")

        let missing = try await server.pipeline([
            "report-stage", "--pipeline-id", id, "--run-id", runID, "--stage", "build", "--status", "failed",
        ])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.json?["detail"] as? String == "Stage not found.")
    }

    @Test func cancelThenRetryStartsANewRunListedFirst() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let created = try await server.pipeline(["create-pipeline", "--data", Self.document("retry")])
        let id = try #require(created.json?["id"] as? String, "\(created)")
        let triggered = try await server.pipeline(["trigger-pipeline", "--pipeline-id", id])
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")

        let cancelled = try await server.pipeline(["cancel-run", "--pipeline-id", id, "--run-id", runID])
        #expect(cancelled.json?["status"] as? String == "cancelled", "\(cancelled)")
        let again = try await server.pipeline(["cancel-run", "--pipeline-id", id, "--run-id", runID])
        #expect(again.status == 1, "\(again)")
        #expect(again.json?["status"] as? Int == 409)

        let retried = try await server.pipeline(["retry-run", "--pipeline-id", id, "--run-id", runID])
        #expect(retried.status == 0, "\(retried)")
        let newRunID = try #require(retried.json?["id"] as? String)
        let runs = try await server.pipeline(["list-runs", "--pipeline-id", id])
        let ids = (runs.json?["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == [newRunID, runID], "\(runs)")
    }
}
