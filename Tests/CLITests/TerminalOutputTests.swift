import Foundation
import Testing

/// On a terminal a person gets tables, summaries and sentences; `--json` and pipes get the JSON.
struct TerminalOutputTests {
    static let document =
        #"{"name": "Shown", "git_repository": "https://github.com/example/repo", "stages": [{"name": "Unit", "type": "Run", "command": "make"}, {"name": "Ship", "type": "Run", "command": "make ship"}]}"#

    /// A server holding one pipeline with one run whose first stage succeeded.
    func serverWithARun() async throws -> (TestServer, id: String, runID: String) {
        let server = try await TestServer.start()
        let created = try await server.pipeline(["create-pipeline", "--data", Self.document])
        let id = try #require(created.json?["id"] as? String, "\(created)")
        let triggered = try await server.pipeline(["trigger-pipeline", id])
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")
        _ = try await server.pipeline(["report-stage", id, runID, "--stage", "Unit", "--status", "succeeded"])
        return (server, id, runID)
    }

    @Test func listPipelinesIsATableOnATerminal() async throws {
        let (server, id, _) = try await serverWithARun()
        defer { server.stop() }
        let table = try await runPipelineInTerminal(["list-pipelines"] + server.flags, environment: ["NO_COLOR": "1"])
        #expect(table.status == 0, "\(table)")
        let lines = table.stdout.split(separator: "\n")
        #expect(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                "ID", "NAME", "STAGES", "LAST", "RUN",
            ])
        #expect(lines.dropFirst().first?.split(separator: " ") == [Substring(id), "Shown", "2", "running"], "\(table)")
        #expect(!table.stdout.contains("\u{1B}["), "NO_COLOR leaves no escape sequences")

        let json = try await runPipelineInTerminal(["list-pipelines", "--json"] + server.flags)
        #expect((jsonBody(json.stdout)?["pipelines"] as? [Any])?.count == 1, "\(json)")
    }

    @Test func getRunIsAStageByStageSummaryWithDurations() async throws {
        let (server, id, runID) = try await serverWithARun()
        defer { server.stop() }
        let summary = try await runPipelineInTerminal(
            ["get-run", id, runID] + server.flags, environment: ["NO_COLOR": "1"])
        #expect(summary.status == 0, "\(summary)")
        #expect(summary.stdout.hasPrefix("Run \(runID) running after "), "\(summary)")
        #expect(summary.stdout.contains(/✓  Unit +succeeded +\d+(ms|\.\ds)\n/), "\(summary)")
        #expect(summary.stdout.contains(/●  Ship +running +\d+(ms|\.\ds)\n/), "\(summary)")
        let runs = try await runPipelineInTerminal(["list-runs", id] + server.flags, environment: ["NO_COLOR": "1"])
        #expect(runs.stdout.contains(runID) && runs.stdout.contains("running"), "\(runs)")
    }

    @Test func colourOnlyOnATerminalAndNotWithNoColor() async throws {
        let (server, _, _) = try await serverWithARun()
        defer { server.stop() }
        let coloured = try await runPipelineInTerminal(["list-pipelines"] + server.flags, environment: ["NO_COLOR": ""])
        #expect(coloured.stdout.contains("\u{1B}[1mID\u{1B}[0m"), "\(coloured)")
        let piped = try await server.pipeline(["list-pipelines"])
        #expect(!piped.stdout.contains("\u{1B}[") && piped.json != nil, "\(piped)")
    }

    @Test func errorsAreSentencesAndA422ListsEachField() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let invalid = #"{"name": "", "git_repository": "https://github.com/example/repo", "stages": []}"#
        let onTerminal = try await runPipelineInTerminal(["create-pipeline", "--data", invalid] + server.flags)
        #expect(onTerminal.status == 1, "\(onTerminal)")
        #expect(onTerminal.stdout.isEmpty, "no problem JSON for a person")
        #expect(onTerminal.stderr.contains("(HTTP 422)"), "\(onTerminal)")
        #expect(onTerminal.stderr.contains("\n  name: Must be 1 to 200 characters long.\n"), "\(onTerminal)")

        let piped = try await server.pipeline(["create-pipeline", "--data", invalid])
        #expect(piped.json?["status"] as? Int == 422, "a pipe still gets the problem JSON")
        #expect(piped.stderr.contains("  name: "), "\(piped)")
    }
}

/// The body parsed as a JSON object (test helper).
func jsonBody(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
