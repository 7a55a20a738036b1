import Foundation
import Testing

/// Two `Authorization` fields, a runs cursor no page gave, and error
/// messages that would echo a huge key back.
struct HostileInputTests {
    @Test func twoAuthorizationFieldsAreABadRequest() throws {
        let server = try InProcessServer()
        let good = "Basic " + Data("admin:admin".utf8).base64EncodedString()
        let bad = "Basic " + Data("admin:wrong".utf8).base64EncodedString()
        let statuses = synchronously { () -> [Int?] in
            [[good, bad], [bad, good], [good, good]].map { pair in
                let client = server.connect()
                client.send(
                    "GET /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: \(pair[0])\r\nauthorization: \(pair[1])\r\n\r\n"
                )
                return client.readResponse()?.status
            }
        }
        #expect(statuses == [400, 400, 400])
    }

    @Test func aRunsCursorThatNamesNoKeptRunIsABadRequest() throws {
        let server = try InProcessServer()
        let replies = try synchronously { () -> [HTTPReply?] in
            let api = server.api()
            let (id, runID) = try RunSteps.startRun(api, runStagesDocument([("build", 60)]))
            let (other, otherRun) = try RunSteps.startRun(api, runStagesDocument([("build", 60)]))
            return [
                api.request("GET", "/v1/pipelines/\(id)/runs?cursor=unknown-run"),
                api.request("GET", "/v1/pipelines/\(id)/runs?cursor=\(otherRun)"),
                api.request("GET", "/v1/pipelines/\(other)/runs?cursor=\(runID)"),
                api.request("GET", "/v1/pipelines/\(id)/runs?cursor=\(runID)"),
            ]
        }
        #expect(replies.map { $0?.status } == [400, 400, 400, 200])
        #expect(
            replies[0]?.json?["detail"] as? String
                == "The cursor is not valid; use a next_cursor value returned by this API.")
    }

    @Test func errorsQuoteAtMost64CharactersOfAKey() throws {
        let server = try InProcessServer()
        let key = String(repeating: "k", count: 500_000)
        let replies = synchronously { () -> [HTTPReply?] in
            let api = server.api()
            return [
                api.request("POST", "/v1/pipelines", body: #"{"\#(key)": 1, "\#(key)": 2}"#),
                api.request(
                    "POST", "/v1/pipelines",
                    body: #"{"name": "p", "git_repository": "https://e.com/r", "stages": [], "\#(key)": 1}"#),
                api.request("GET", "/v1/pipelines?\(String(repeating: "q", count: 4000))=1"),
            ]
        }
        #expect(replies.map { $0?.status } == [400, 422, 400])
        let excerpt = String(repeating: "k", count: 64) + "…"
        #expect(
            replies[0]?.json?["detail"] as? String
                == "The request body is not valid JSON: duplicate key \"\(excerpt)\" at byte offset 500008.")
        let errors = replies[1]?.json?["errors"] as? [[String: Any]]
        #expect(errors?.first?["field"] as? String == excerpt)
        for reply in replies { #expect((reply?.body.count ?? .max) < 1024) }
    }
}
