import Foundation
import Testing

/// Each failure class has its own documented exit code, and an error body is still printed.
struct ExitCodeTests {
    @Test
    func unknownPipelineExitsOneAndPrintsTheProblem() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let result = try await server.pipeline(["get-pipeline", "--pipeline-id", "no-such-id"])
        #expect(result.status == 1, "\(result)")
        #expect(result.json?["status"] as? Int == 404)
        #expect(result.json?["detail"] as? String == "Pipeline not found. Make sure to create the pipeline first.")
    }

    @Test
    func wrongPasswordExitsOneAndPrintsTheProblem() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let result = try await runPipeline([
            "get-pipeline", "--pipeline-id", "x", "--base-url", server.baseURL,
            "--username", "admin", "--password", "wrong",
        ])
        #expect(result.status == 1, "\(result)")
        #expect(result.json?["status"] as? Int == 401)
        #expect(result.json?["detail"] as? String == "Incorrect username or password")
    }

    @Test func refusedConnectionExitsSixtyNine() async throws {
        let listener = try SilentListener(listening: false)  // bound, so refused and not reused
        defer { listener.stop() }
        let result = try await runPipeline(
            [
                "get-pipeline", "--pipeline-id", "x", "--base-url", listener.baseURL, "--username", "a", "--password",
                "b",
            ])
        #expect(result.status == 69, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot connect"))
    }

    @Test func serverThatNeverAnswersTimesOutWithSixtyNine() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let result = try await runPipeline([
            "get-pipeline", "--pipeline-id", "x", "--base-url", listener.baseURL,
            "--username", "a", "--password", "b", "--timeout", "1",
        ])
        #expect(result.status == 69, "\(result)")
        #expect(result.stderr.contains("no answer"))
    }

    @Test func missingRequiredFlagExitsSixtyFour() async throws {
        let result = try await runPipeline(["get-pipeline", "--username", "a", "--password", "b"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--pipeline-id"))
    }

    @Test func unknownStageStatusExitsSixtyFour() async throws {
        let result = try await runPipeline([
            "report-stage", "--pipeline-id", "p", "--run-id", "r", "--stage", "s", "--status", "done",
            "--username", "a", "--password", "b",
        ])
        #expect(result.status == 64, "\(result)")
    }

    @Test func missingCredentialsExitSixtyFourNamingTheVariables() async throws {
        let result = try await runPipeline(["get-pipeline", "--pipeline-id", "x"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("PIPELINE_USERNAME"))
    }

    @Test func baseURLWithoutHTTPSchemeExitsSixtyFour() async throws {
        let result = try await runPipeline(
            [
                "get-pipeline", "--pipeline-id", "x", "--base-url", "ftp://example.com", "--username", "a",
                "--password", "b",
            ])
        #expect(result.status == 64, "\(result)")
    }
}
