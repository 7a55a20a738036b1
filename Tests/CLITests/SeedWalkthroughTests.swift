import Foundation
import Testing

/// The seed README's five commands, in order, against a real server, with their exact output.
struct SeedWalkthroughTests {
    static let document = """
        {"name": "CI Pipeline", "git_repository": "https://github.com/example/repo", "stages": [\
        {"name": "Run tests", "type": "Run", "command": "pytest", "timeout": 500}, \
        {"name": "Build image", "type": "Build", "dockerfile": "Dockerfile", "tag": "latest", \
        "ecr_repository": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo", "timeout": 600}, \
        {"name": "Deploy", "type": "Deploy", "k8s_manifest": {"apiVersion": "apps/v1", "kind": "Deployment"}, \
        "cluster": {"name": "prod-1", "server_url": "https://k8s.example.com", "namespace": "production"}, \
        "timeout": 600}], "parallel": false}
        """

    /// The seed's outputs compared exactly, except for whitespace between tokens: API.md shows
    /// `{"id": "…", "message": "…"}`; a compact writer's `{"id":"…","message":"…"}` is the same JSON.
    func sameJSONText(_ output: String, _ expected: String) -> Bool {
        withoutInsignificantWhitespace(output) == withoutInsignificantWhitespace(expected)
    }

    @Test func createGetUpdateTriggerDeletePrintTheSeedsOutputs() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }

        let created = try await server.pipeline(["create-pipeline", "--data", Self.document])
        #expect(created.status == 0, "\(created)")
        let id = try #require(created.json?["id"] as? String, "\(created)")
        #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        #expect(sameJSONText(created.output, #"{"id": "\#(id)", "message": "Pipeline created successfully."}"#))

        let fetched = try await server.pipeline(["get-pipeline", "--pipeline-id", id])
        #expect(fetched.status == 0, "\(fetched)")
        var expected = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.document.utf8)) as? [String: Any])
        expected["id"] = id
        #expect(NSDictionary(dictionary: try #require(fetched.json)) == NSDictionary(dictionary: expected))
        #expect(topLevelKeys(fetched.stdout) == ["name", "git_repository", "stages", "parallel", "id"])

        let renamed = Self.document.replacingOccurrences(of: "CI Pipeline", with: "Renamed")
        let updated = try await server.pipeline(["update-pipeline", "--pipeline-id", id, "--data", renamed])
        #expect(updated.status == 0, "\(updated)")
        #expect(sameJSONText(updated.output, #"{"id": "\#(id)", "message": "Pipeline updated successfully."}"#))
        let refetched = try await server.pipeline(["get-pipeline", "--pipeline-id", id])
        #expect(refetched.json?["name"] as? String == "Renamed")

        let triggered = try await server.pipeline(["trigger-pipeline", "--pipeline-id", id])
        #expect(triggered.status == 0, "\(triggered)")
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")
        #expect(
            sameJSONText(
                triggered.output,
                #"{"id": "\#(id)", "run_id": "\#(runID)", "message": "Pipeline triggered successfully."}"#))

        let deleted = try await server.pipeline(["delete-pipeline", "--pipeline-id", id])
        #expect(deleted.status == 0, "\(deleted)")
        #expect(sameJSONText(deleted.output, #"{"id": "\#(id)", "message": "Pipeline deleted successfully."}"#))

        let gone = try await server.pipeline(["get-pipeline", "--pipeline-id", id])
        #expect(gone.status == 1, "\(gone)")
        #expect(gone.json?["detail"] as? String == "Pipeline not found. Make sure to create the pipeline first.")
    }
}
