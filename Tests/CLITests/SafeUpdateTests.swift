import Foundation
import Testing

/// `--if-match` makes an update or delete conditional on the ETag that `get-pipeline --etag` printed.
struct SafeUpdateTests {
    static let document = #"{"name": "Guarded", "git_repository": "https://github.com/example/repo", "stages": []}"#

    @Test func staleETagIsRefusedWith412AndAFreshOneIsAccepted() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let id = try #require(
            try await server.pipeline(["create-pipeline", "-d", Self.document]).json?["id"] as? String)
        let read = try await server.pipeline(["get-pipeline", id, "--etag"])
        let etag = read.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(etag.wholeMatch(of: /"[^"]+"/) != nil, "\(read)")
        #expect(read.json?["name"] as? String == "Guarded", "stdout keeps the JSON")

        let renamed = Self.document.replacingOccurrences(of: "Guarded", with: "Changed")
        let first = try await server.pipeline(["update-pipeline", id, "--if-match", etag, "-d", renamed])
        #expect(first.status == 0, "\(first)")
        let stale = try await server.pipeline(["update-pipeline", id, "--if-match", etag, "-d", Self.document])
        #expect(stale.status == 1, "\(stale)")
        #expect(stale.json?["status"] as? Int == 412)
        #expect(stale.stderr.contains("changed since it was read"), "\(stale)")
        let staleDelete = try await server.pipeline(["delete-pipeline", id, "--if-match", etag])
        #expect(staleDelete.status == 1 && staleDelete.json?["status"] as? Int == 412, "\(staleDelete)")

        let fresh = try await server.pipeline(["get-pipeline", id, "--etag"]).stderr.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(fresh != etag)
        let deleted = try await server.pipeline(["delete-pipeline", id, "--if-match", fresh])
        #expect(deleted.status == 0, "\(deleted)")
    }

    @Test func terminalSummaryShowsTheETag() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let id = try #require(
            try await server.pipeline(["create-pipeline", "-d", Self.document]).json?["id"] as? String)
        let etag = try await server.pipeline(["get-pipeline", id, "--etag"]).stderr.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let summary = try await runPipelineInTerminal(
            ["get-pipeline", id] + server.flags, environment: ["NO_COLOR": "1"])
        #expect(summary.stdout.contains("etag:        \(etag)\n"), "\(summary)")
    }
}
