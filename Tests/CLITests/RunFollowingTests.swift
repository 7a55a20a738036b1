import Foundation
import Testing

/// `watch --run-id` and `trigger-pipeline --watch` follow one run to its end, and say at once when
/// what they should follow does not exist.
struct RunFollowingTests {
    static let document =
        #"{"name": "Followed", "git_repository": "https://github.com/example/repo", "stages": [{"name": "Unit", "type": "Run", "command": "make"}]}"#

    func created(_ server: TestServer) async throws -> String {
        let created = try await server.pipeline(["create-pipeline", "--data", Self.document])
        return try #require(created.json?["id"] as? String, "\(created)")
    }

    @Test func watchingAMissingPipelineSaysSoAndExitsOne() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let result = try await runPipeline(["watch", "--pipeline-id", "no-such-pipeline"] + server.flags, limit: 20)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Pipeline not found."), "\(result)")
        let run = try await runPipeline(
            ["watch", "-p", try await created(server), "--run-id", "no-such-run"] + server.flags, limit: 20)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("Run not found."), "\(run)")
    }

    @Test func triggerWatchFollowsTheRunAndExitsTwoWhenItFails() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let id = try await created(server)
        let follow = try startPipeline(["trigger-pipeline", id, "--watch"] + server.flags)
        defer { follow.kill() }
        let started = try await follow.stdout.line(containing: "stage_started")
        let runID = try #require(jsonBody(started)?["run_id"] as? String)
        let trigger = try #require(
            jsonBody(follow.stdout.text.components(separatedBy: "\n")[0]), "first line: the trigger's JSON")
        #expect(trigger["run_id"] as? String == runID)
        _ = try await server.pipeline(["report-stage", id, runID, "-s", "Unit", "--status", "failed"])
        #expect(await follow.exitStatus() == 2)
        #expect(try await follow.stdout.all().contains("\"run_failed\""))
    }

    @Test func watchRunIdExitStatusIsZeroWhenTheRunSucceeds() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let id = try await created(server)
        let triggered = try await server.pipeline(["trigger-pipeline", id])
        let runID = try #require(triggered.json?["run_id"] as? String)
        let follow = try startPipeline(
            ["watch", "-p", id, "-r", runID, "--exit-status"] + server.flags, terminal: true)
        defer { follow.kill() }
        _ = try await follow.stderr.line(containing: "following")
        _ = try await server.pipeline(["report-stage", id, runID, "-s", "Unit", "--status", "succeeded"])
        #expect(await follow.exitStatus() == 0)
        let shown = try await follow.stdout.all()
        #expect(shown.contains(/✓ Unit succeeded \(\d+(ms|\.\ds)\)/), "\(shown)")
        #expect(shown.contains("Run \(runID) succeeded after"), "\(shown)")
    }

    @Test func followingARunThatAlreadyEndedReturnsAtOnce() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let id = try await created(server)
        let runID = try #require(try await server.pipeline(["trigger-pipeline", id]).json?["run_id"] as? String)
        _ = try await server.pipeline(["cancel-run", id, runID])
        let result = try await runPipeline(["watch", "-p", id, "-r", runID, "--exit-status"] + server.flags, limit: 20)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("run \(runID) cancelled"), "\(result)")
    }
}
