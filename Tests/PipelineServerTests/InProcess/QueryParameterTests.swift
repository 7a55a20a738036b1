import Foundation
import Testing

/// `/v1` operations refuse query parameters they do not define and cursors no page has (an
/// empty one, or one of the wrong form), as `openapi.json` states; the system routes ignore
/// their query.
struct QueryParameterTests {
    @Test func unknownParametersAreRefusedOnV1AndIgnoredElsewhere() throws {
        let server = try InProcessServer()
        let replies = synchronously { () -> [HTTPReply?] in
            let api = server.api()
            let id =
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 60)]))?.json?["id"] as? String
                ?? "none"
            return [
                api.request("GET", "/v1/pipelines?limt=5"),
                api.request("POST", "/v1/pipelines/\(id)/trigger?force=1"),
                api.request("GET", "/v1/pipelines/\(id)/runs?=false"),
                api.request("GET", "/v1/pipelines?limit=5&cursor=c0000000000000000"),
                api.request("GET", "/healthz?cachebuster=1"),
            ]
        }
        #expect(replies.map { $0?.status } == [400, 400, 400, 200, 200])
        #expect((replies[0]?.json?["detail"] as? String)?.contains(#""limt""#) == true)
        #expect((replies[0]?.json?["detail"] as? String)?.contains("limit, cursor") == true)
    }

    @Test func anEmptyOrMisshapenCursorIsABadRequest() throws {
        let server = try InProcessServer()
        let statuses = synchronously { () -> [Int?] in
            let api = server.api()
            let id =
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 60)]))?.json?["id"] as? String
                ?? "none"
            return [
                api.request("GET", "/v1/pipelines?cursor=")?.status,
                api.request("GET", "/v1/pipelines/\(id)/runs?cursor=")?.status,
                api.request("GET", "/v1/pipelines?cursor=c-000000000000000")?.status,
                api.request("GET", "/v1/pipelines?cursor=c+000000000000000")?.status,
                api.request("GET", "/v1/pipelines/\(id)/runs?cursor=unknown-run")?.status,
            ]
        }
        #expect(statuses == [400, 400, 400, 400, 400])
    }
}
