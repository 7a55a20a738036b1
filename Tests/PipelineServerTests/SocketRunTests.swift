import Foundation
import TestSupport
import Testing

/// What only the real process shows: a stage timeout fired by the loop's timer in real time, and
/// the structured log line on standard error. The rest of the run API is tested in-process.
@Suite(.serialized) struct SocketRunTests {
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

    @Test func stageTimesOutAfterItsTimeout() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("quick", 1), ("next", 60)]))?.json?["id"]
                    as? String)
            let events = try RawClient(port: server.port)
            events.send(
                "GET /v1/events?pipeline_id=\(id) HTTP/1.1\r\nHost: t\r\nAuthorization: \(api.authorization!)\r\n\r\n")
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

    @Test func everyStageStartIsOneStructuredLogLine() async throws {
        let server = try ServerHarness()
        let (id, runID) = try await onThread {
            let api = try APIClient(port: server.port)
            let (id, runID) = try startRun(api, runStagesDocument([("compile it", 60), ("b", 60)]))
            _ = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/compile%20it/result",
                body: #"{"status": "succeeded"}"#)
            return (id, runID)
        }
        #expect(server.stop() == 0)  // the log is flushed at exit at the latest
        let lines = server.log.split(separator: "\n").filter { $0.contains(" info stage_started ") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("pipeline_id=\(id) run_id=\(runID)") == true)
        #expect(lines.first?.contains(#"stage="compile it""#) == true)
        #expect(lines.last?.contains("stage=b") == true)
    }
}
