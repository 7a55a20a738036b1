import Foundation
import Testing

/// Ids come as arguments or flags, are never empty, and always stay one path segment.
struct IdentifierTests {
    @Test(arguments: [
        ["get-pipeline", "--pipeline-id", ""], ["get-pipeline", " "], ["delete-pipeline", "-p", "\t"],
        ["get-run", "--pipeline-id", "p", "--run-id", ""], ["list-runs", ""], ["cancel-run", "p", " "],
    ])
    func blankIdsAreRefusedLocally(_ arguments: [String]) async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let result = try await runPipeline(arguments + ["--base-url", listener.baseURL, "-u", "a", "--password", "b"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("id is empty; nothing was sent"), "\(result)")
        #expect(!listener.receivedConnection)
    }

    @Test func positionalIdsAndFlagsAreTheSame() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let document = #"{"name": "Both", "git_repository": "https://github.com/example/repo", "stages": []}"#
        let id = try #require(try await server.pipeline(["create-pipeline", "-d", document]).json?["id"] as? String)
        let byFlag = try await server.pipeline(["get-pipeline", "--pipeline-id", id])
        let byArgument = try await server.pipeline(["get-pipeline", id])
        #expect(byFlag.status == 0 && byFlag.stdout == byArgument.stdout, "\(byArgument)")
        let runID = try #require(try await server.pipeline(["trigger-pipeline", "-p", id]).json?["run_id"] as? String)
        let mixed = try await server.pipeline(["get-run", "-r", runID, id])
        #expect(mixed.json?["id"] as? String == runID, "\(mixed)")
        let conflicting = try await server.pipeline(["get-pipeline", id, "--pipeline-id", "other"])
        #expect(conflicting.status == 64, "\(conflicting)")
    }

    /// An id holding `/`, `?` or `..` reaches the server as one segment: the answer is a 404 for
    /// that id, never another endpoint's (the run list, the pipeline list).
    @Test(arguments: ["x/runs", "..", "?limit=1", "a%2Fb"])
    func idsStayOnePathSegment(_ id: String) async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let result = try await server.pipeline(["get-pipeline", id])
        #expect(result.status == 1, "\(result)")
        #expect(result.json?["status"] as? Int == 404, "\(result)")
    }
}
