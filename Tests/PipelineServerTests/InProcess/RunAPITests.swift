import Foundation
import Testing

/// Run lifecycles of API.md, in-process: the server triggers, executors report.
struct RunAPITests {
    @Test func sequentialRunSucceedsStageByStage() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let (id, runID) = try RunSteps.startRun(api, runStagesDocument([("a", 60), ("b", 60)]))
            #expect(RunSteps.stageStatuses(api, id, runID) == ("running", ["running", "pending"]))
            #expect(
                api.request(
                    "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a/result", body: #"{"status": "succeeded"}"#)?
                    .status == 200)
            #expect(RunSteps.stageStatuses(api, id, runID) == ("running", ["succeeded", "running"]))
            #expect(
                api.request(
                    "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "succeeded"}"#)?
                    .status == 200)
            #expect(RunSteps.stageStatuses(api, id, runID) == ("succeeded", ["succeeded", "succeeded"]))
            let late = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "failed"}"#)
            #expect(late?.status == 409)
        }
    }

    @Test func triggersPastTheActiveRunCapGet503WithRetryAfter() throws {
        let server = try InProcessServer { $0.maxActiveRuns = 2 }
        try synchronously {
            let api = server.api()
            let (first, _) = try RunSteps.startRun(api, runStagesDocument([("a", 60)]))
            _ = try RunSteps.startRun(api, runStagesDocument([("a", 60)]))
            let third = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            let refused = api.request("POST", "/v1/pipelines/\(third)/trigger")
            #expect(refused?.status == 503)
            #expect(refused?.header("Retry-After") == "1")
            #expect(refused?.header("Content-Type") == "application/problem+json")
            // Re-triggering an active pipeline replaces its run, so it still fits.
            #expect(api.request("POST", "/v1/pipelines/\(first)/trigger")?.status == 200)
        }
    }

    @Test func parallelFailureFailsTheRunAndCancelsTheRest() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let (id, runID) = try RunSteps.startRun(
                api, runStagesDocument([("a", 60), ("b", 60), ("c", 60)], parallel: true))
            #expect(RunSteps.stageStatuses(api, id, runID) == ("running", ["running", "running", "running"]))
            _ = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a/result", body: #"{"status": "succeeded"}"#)
            _ = api.request("POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/b/result", body: #"{"status": "failed"}"#)
            #expect(RunSteps.stageStatuses(api, id, runID) == ("failed", ["succeeded", "failed", "cancelled"]))
        }
    }

    @Test func cancelRetryAndRetrigger() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let (id, first) = try RunSteps.startRun(api, runStagesDocument([("a", 60)]))
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/retry")?.status == 409)
            let cancelled = api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/cancel")
            #expect(cancelled?.json?["status"] as? String == "cancelled")
            #expect(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/cancel")?.status == 409)
            let retried = try #require(api.request("POST", "/v1/pipelines/\(id)/runs/\(first)/retry"))
            let second = try #require(retried.json?["id"] as? String)
            #expect(retried.header("Location") == "/v1/pipelines/\(id)/runs/\(second)")
            #expect(RunSteps.stageStatuses(api, id, second) == ("running", ["running"]))
            let third = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String)
            #expect(RunSteps.stageStatuses(api, id, second).0 == "cancelled")
            let runs = api.request("GET", "/v1/pipelines/\(id)/runs")?.json?["runs"] as? [[String: Any]]
            #expect(runs?.compactMap { $0["id"] as? String } == [third, second, first])
        }
    }

    @Test func deletingAPipelineCancelsItsRun() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let (id, runID) = try RunSteps.startRun(api, runStagesDocument([("a", 60)]))
            #expect(api.request("DELETE", "/v1/pipelines/\(id)")?.status == 200)
            #expect(api.request("GET", "/v1/pipelines/\(id)/runs/\(runID)")?.status == 404)
            #expect(api.request("POST", "/v1/pipelines/\(id)/trigger")?.status == 404)
        }
    }

    @Test func percentEncodedStageNamesAndNotFoundSentences() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let (id, runID) = try RunSteps.startRun(api, runStagesDocument([("a/b c", 60)]))
            let wrongStage = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb/result", body: #"{"status": "succeeded"}"#)
            #expect(wrongStage?.json?["detail"] as? String == "Stage not found.")
            let wrongRun = api.request("GET", "/v1/pipelines/\(id)/runs/nope")
            #expect(wrongRun?.json?["detail"] as? String == "Run not found.")
            let badBody = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb%20c/result", body: #"{"status": "done"}"#)
            #expect(badBody?.status == 422)
            let reported = api.request(
                "POST", "/v1/pipelines/\(id)/runs/\(runID)/stages/a%2Fb%20c/result", body: #"{"status": "succeeded"}"#)
            #expect(reported?.json?["status"] as? String == "succeeded")
        }
    }
}
