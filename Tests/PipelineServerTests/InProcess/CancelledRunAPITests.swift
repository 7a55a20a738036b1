import Foundation
import Testing

/// A trigger or retry that cancels the pipeline's active run says which one, so a client is
/// never surprised that its earlier run stopped.
struct CancelledRunAPITests {
    @Test func aTriggerNamesTheRunItCancelledAfterRunID() throws {
        let server = try InProcessServer()
        let (first, second) = synchronously { () -> (HTTPReply?, HTTPReply?) in
            let api = server.api()
            let id =
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 600)]))?.json?["id"] as? String
                ?? "none"
            return (
                api.request("POST", "/v1/pipelines/\(id)/trigger"), api.request("POST", "/v1/pipelines/\(id)/trigger")
            )
        }
        #expect(first?.status == 200)
        #expect(first?.json?.keys.contains("cancelled_run_id") == false)
        let firstRun = try #require(first?.json?["run_id"] as? String)
        let secondRun = try #require(second?.json?["run_id"] as? String)
        let id = try #require(second?.json?["id"] as? String)
        #expect(
            second?.text
                == #"{"id":"\#(id)","run_id":"\#(secondRun)","cancelled_run_id":"\#(firstRun)","message":"Pipeline triggered successfully."}"#
        )
    }

    @Test func aTriggerAfterTheRunFinishedCancelsNothing() throws {
        let server = try InProcessServer()
        let replies = synchronously { () -> [HTTPReply?] in
            let api = server.api()
            // No stages: each run succeeds as soon as it starts.
            let id = api.request("POST", "/v1/pipelines", body: runStagesDocument([]))?.json?["id"] as? String ?? "none"
            return [
                api.request("POST", "/v1/pipelines/\(id)/trigger"), api.request("POST", "/v1/pipelines/\(id)/trigger"),
            ]
        }
        #expect(replies.map { $0?.status } == [200, 200])
        #expect(replies.allSatisfy { $0?.json?.keys.contains("cancelled_run_id") == false })
    }

    @Test func aRetryNamesTheActiveRunItCancelledLast() throws {
        let server = try InProcessServer()
        let (active, quietRetry, retry) = synchronously { () -> (String?, HTTPReply?, HTTPReply?) in
            let api = server.api()
            let id =
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 600)]))?.json?["id"] as? String
                ?? "none"
            let old = api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String ?? "none"
            _ = api.request("POST", "/v1/pipelines/\(id)/runs/\(old)/cancel")
            // No run is active now: this retry cancels nothing, and starts the active run.
            let quietRetry = api.request("POST", "/v1/pipelines/\(id)/runs/\(old)/retry")
            let active = quietRetry?.json?["id"] as? String
            return (active, quietRetry, api.request("POST", "/v1/pipelines/\(id)/runs/\(old)/retry"))
        }
        #expect(quietRetry?.status == 200)
        #expect(quietRetry?.json?.keys.contains("cancelled_run_id") == false)
        #expect(retry?.status == 200)
        let cancelled = try #require(active)
        #expect(retry?.json?["cancelled_run_id"] as? String == cancelled)
        #expect(retry?.json?["id"] as? String != cancelled)
        #expect(retry?.text.hasSuffix(#"],"cancelled_run_id":"\#(cancelled)"}"#) == true)
    }
}
