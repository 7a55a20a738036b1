import Foundation
import Testing

/// Run lifecycles of API.md over real sockets: the server triggers, executors report.
@Suite(.serialized) struct RunAPITests {
    /// Creates a pipeline and triggers it; returns (pipeline id, run id).
    func startRun(_ api: APIClient, _ document: String) throws -> (String, String) {
        let id = try #require(api.request("POST", "/v1/pipelines", body: document)?.json?["id"] as? String)
        let trigger = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger"))
        #expect(trigger.status == 200)
        #expect(trigger.json?["message"] as? String == "Pipeline triggered successfully.")
        let runID = try #require(trigger.json?["run_id"] as? String)
        #expect(trigger.header("Location") == "/v1/pipelines/\(id)/runs/\(runID)")
        return (id, runID)
    }

    func stageStatuses(_ api: APIClient, _ id: String, _ runID: String) -> (String?, [String]) {
        let run = api.request("GET", "/v1/pipelines/\(id)/runs/\(runID)")?.json
        let stages = (run?["stages"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
        return (run?["status"] as? String, stages)
    }

    @Test func sequentialRunSucceedsStageByStage() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("a", 60), ("b", 60)]))
            #expect(stageStatuses(api, id, runID) == ("running", ["running", "pending"]))
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a/result", body: #"{"status": "succeeded"}"#)?.status == 200)
            #expect(stageStatuses(api, id, runID) == ("running", ["succeeded", "running"]))
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "succeeded"}"#)?.status == 200)
            #expect(stageStatuses(api, id, runID) == ("succeeded", ["succeeded", "succeeded"]))
            let late = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "failed"}"#)
            #expect(late?.status == 409)
        }
        _ = server.stop()
    }

    @Test func everyStageStartIsOneStructuredLogLine() async throws {
        let server = try ServerHarness()
        let (id, runID) = try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("compile it", 60), ("b", 60)]))
            _ = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/compile%20it/result", body: #"{"status": "succeeded"}"#)
            return (id, runID)
        }
        #expect(server.stop() == 0)  // the log is flushed at exit at the latest
        let lines = server.log.split(separator: "\n").filter { $0.contains(" info stage_started ") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("pipeline_id=\(id) run_id=\(runID)") == true)
        #expect(lines.first?.contains(#"stage="compile it""#) == true)
        #expect(lines.last?.contains("stage=b") == true)
    }

    @Test func triggersPastTheActiveRunCapGet503WithRetryAfter() async throws {
        let server = try ServerHarness(["--max-active-runs", "2"])
        try await onThread {
            let api = try APIClient(port: server.port)
            let (first, _) = try startRun(api, runStagesDocument([("a", 60)]))
            _ = try startRun(api, runStagesDocument([("a", 60)]))
            let third = try #require(api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            let refused = api.request("POST", "/v1/pipelines/\(third)/trigger")
            #expect(refused?.status == 503)
            #expect(refused?.header("Retry-After") == "1")
            #expect(refused?.header("Content-Type") == "application/problem+json")
            // Re-triggering an active pipeline replaces its run, so it still fits.
            #expect(api.request("POST", "/v1/pipelines/\(first)/trigger")?.status == 200)
        }
        _ = server.stop()
    }

    @Test func parallelFailureFailsTheRunAndCancelsTheRest() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("a", 60), ("b", 60), ("c", 60)], parallel: true))
            #expect(stageStatuses(api, id, runID) == ("running", ["running", "running", "running"]))
            _ = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a/result", body: #"{"status": "succeeded"}"#)
            _ = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "failed"}"#)
            #expect(stageStatuses(api, id, runID) == ("failed", ["succeeded", "failed", "cancelled"]))
        }
        _ = server.stop()
    }

    @Test func stageTimesOutAfterItsTimeout() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let id = try #require(api.request("POST", "/v1/pipelines", body: runStagesDocument([("quick", 1), ("next", 60)]))?.json?["id"] as? String)
            let events = try RawClient(port: server.port)
            events.send("GET /v1/events?pipeline_id=\(id) HTTP/1.1\r\nHost: t\r\nAuthorization: \(api.authorization!)\r\n\r\n")
            _ = events.read(until: "text/event-stream")
            let triggered = Date()
            let runID = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String)
            #expect(stageStatuses(api, id, runID) == ("running", ["running", "pending"]))
            // Observed, not slept for: the timeout's event arrives, and not before the 1 s timeout.
            #expect(events.read(until: "event: stage_timed_out") != nil)
            #expect(Date().timeIntervalSince(triggered) >= 0.95)
            #expect(stageStatuses(api, id, runID) == ("failed", ["timed_out", "skipped"]))
        }
        _ = server.stop()
    }

    @Test func cancelRetryAndRetrigger() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let (id, first) = try startRun(api, runStagesDocument([("a", 60)]))
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/retry")?.status == 409)
            let cancelled = api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/cancel")
            #expect(cancelled?.json?["status"] as? String == "cancelled")
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/cancel")?.status == 409)
            let retried = try #require(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/retry"))
            let second = try #require(retried.json?["id"] as? String)
            #expect(retried.header("Location") == "/v1/pipelines/\(id)/runs/\(second)")
            #expect(stageStatuses(api, id, second) == ("running", ["running"]))
            let third = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String)
            #expect(stageStatuses(api, id, second).0 == "cancelled")
            let runs = api.request("GET", "/v1/pipelines/\(id)/runs")?.json?["runs"] as? [[String: Any]]
            #expect(runs?.compactMap { $0["id"] as? String } == [third, second, first])
        }
        _ = server.stop()
    }

    @Test func deletingAPipelineCancelsItsRun() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("a", 60)]))
            #expect(api.request("DELETE", "/v1/pipelines/\(id)")?.status == 200)
            #expect(api.request("GET", "/v1/pipelines/\(id)/runs/\(runID)")?.status == 404)
            #expect(api.request("POST", "/v1/pipelines/\(id)/trigger")?.status == 404)
        }
        _ = server.stop()
    }

    @Test func percentEncodedStageNamesAndNotFoundSentences() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("a/b c", 60)]))
            let wrongStage = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb/result", body: #"{"status": "succeeded"}"#)
            #expect(wrongStage?.json?["detail"] as? String == "Stage not found.")
            let wrongRun = api.request("GET", "/v1/pipelines/\(id)/runs/nope")
            #expect(wrongRun?.json?["detail"] as? String == "Run not found.")
            let badBody = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb%20c/result", body: #"{"status": "done"}"#)
            #expect(badBody?.status == 422)
            let reported = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb%20c/result", body: #"{"status": "succeeded"}"#)
            #expect(reported?.json?["status"] as? String == "succeeded")
        }
        _ = server.stop()
    }
}
