import Foundation
import Testing

/// `POST …/stages/{stage}/result` refuses every malformed body with the documented status, names
/// every problem, and leaves the run as it was.
struct StageResultTests {
    /// (body, status, the `errors` fields in order; nil for a 400, which has none).
    static let badBodies: [(String, Int, [String]?)] = [
        ("", 400, nil),
        ("{", 400, nil),
        (#"{"status": "succeeded"} x"#, 400, nil),
        (#"{"status": "succeeded", "status": "failed"}"#, 400, nil),  // a repeated key
        ("[]", 422, ["$"]),
        ("null", 422, ["$"]),
        (#""succeeded""#, 422, ["$"]),
        ("{}", 422, ["status"]),
        (#"{"status": "done"}"#, 422, ["status"]),
        (#"{"status": "SUCCEEDED"}"#, 422, ["status"]),
        (#"{"status": 1}"#, 422, ["status"]),
        (#"{"status": null}"#, 422, ["status"]),
        (#"{"status": ["failed"]}"#, 422, ["status"]),
        (#"{"status": "succeeded", "extra": 1}"#, 422, ["extra"]),
        (#"{"Status": "succeeded"}"#, 422, ["Status", "status"]),
        (#"{"extra": 1, "status": "maybe"}"#, 422, ["extra", "status"]),
    ]

    @Test func everyMalformedBodyGetsItsStatusAndTheRunIsUnchanged() throws {
        let server = try InProcessServer()
        let (answers, stageAfter, good) = try synchronously {
            let api = server.api()
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            let runID = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String)
            let path = "/v1/pipelines/\(id)/runs/\(runID)/stages/a/result"
            let answers = Self.badBodies.map { api.request("POST", path, body: $0.0) }
            let run = api.request("GET", "/v1/pipelines/\(id)/runs/\(runID)")?.json
            let stageAfter = (run?["stages"] as? [[String: Any]])?.first?["status"] as? String
            return (
                answers, stageAfter,
                api.request("POST", path, body: #"{"status": "failed"}"#)?.json?["status"] as? String
            )
        }
        for ((body, status, fields), answer) in zip(Self.badBodies, answers) {
            #expect(answer?.status == status, "\(body)")
            #expect(answer?.header("Content-Type") == "application/problem+json", "\(body)")
            let errors = (answer?.json?["errors"] as? [[String: String]])?.map { $0["field"] ?? "" }
            #expect(errors == fields, "\(body)")
        }
        #expect(stageAfter == "running")
        #expect(good == "failed")
    }
}
