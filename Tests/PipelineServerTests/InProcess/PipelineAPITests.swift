import Foundation
import Testing

@testable import PipelineServer

/// The pipeline half of API.md over real sockets, including the seed walkthrough.
struct PipelineAPITests {
    @Test func seedWalkthroughCreateGetUpdateGetDelete() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let created = try #require(api.request("POST", "/v1/pipelines", body: sampleDocument))
            #expect(created.status == 201)
            let id = try #require(created.json?["id"] as? String)
            #expect(created.json?["message"] as? String == "Pipeline created successfully.")
            #expect(created.header("Location") == "/v1/pipelines/\(id)")
            #expect(Array(created.json!.keys).count == 2)

            let fetched = try #require(api.request("GET", "/v1/pipelines/\(id)"))
            #expect(fetched.status == 200)
            #expect(
                fetched.text.hasPrefix(
                    #"{"name":"CI Pipeline","git_repository":"https://github.com/example/repo","stages":[{"name":"Run tests","type":"Run","command":"pytest","timeout":500}"#
                ))
            #expect(fetched.text.hasSuffix(#""parallel":false,"id":"\#(id)"}"#))
            #expect(
                fetched.text.contains(
                    #""cluster":{"name":"prod-1","server_url":"https://k8s.example.com","namespace":"production"}"#))

            let updatedBody = fetched.text.replacingOccurrences(of: "CI Pipeline", with: "Renamed")
            let updated = try #require(api.request("PUT", "/v1/pipelines/\(id)", body: updatedBody))
            #expect(updated.status == 200)
            #expect(updated.text == #"{"id":"\#(id)","message":"Pipeline updated successfully."}"#)
            let refetched = try #require(api.request("GET", "/v1/pipelines/\(id)"))
            #expect(refetched.json?["name"] as? String == "Renamed")
            #expect(refetched.header("ETag") == updated.header("ETag"))

            let deleted = try #require(api.request("DELETE", "/v1/pipelines/\(id)"))
            #expect(deleted.text == #"{"id":"\#(id)","message":"Pipeline deleted successfully."}"#)
            let gone = try #require(api.request("GET", "/v1/pipelines/\(id)"))
            #expect(gone.status == 404)
            #expect(gone.json?["detail"] as? String == "Pipeline not found. Make sure to create the pipeline first.")
        }
    }

    @Test func authenticationComesFirstWithTheThreeSentences() throws {
        let server = try InProcessServer()
        let details = synchronously { () -> [(Int, String?, String?)] in
            let api = server.api()
            var results: [(Int, String?, String?)] = []
            for authorization in [
                nil, "Bearer abc", "Basic", "Basic !!!", "Basic " + Data("nocolon".utf8).base64EncodedString(),
                "basic " + Data("admin:wrong".utf8).base64EncodedString(),
            ] {
                api.authorization = authorization
                let reply = api.request("PUT", "/v1/nowhere", body: "not json")
                results.append(
                    (reply?.status ?? 0, reply?.json?["detail"] as? String, reply?.header("WWW-Authenticate")))
            }
            return results
        }
        #expect(details.map(\.0) == [401, 401, 401, 401, 401, 401])
        #expect(
            details.map(\.1) == [
                "Not authenticated", "Not authenticated", "Not authenticated",
                "Invalid authentication credentials", "Invalid authentication credentials",
                "Incorrect username or password",
            ])
        #expect(details.allSatisfy { $0.2 == #"Basic realm="pipeline""# })
    }

    @Test func configuredCredentialsReplaceTheDemoAccount() throws {
        let server = try InProcessServer { $0.credentials = Credentials(username: "ci", password: "s3cret") }
        let (demo, configured) = synchronously {
            let api = server.api()
            let demo = api.request("GET", "/v1/pipelines")?.status
            api.authorization = "Basic " + Data("ci:s3cret".utf8).base64EncodedString()
            return (demo, api.request("GET", "/v1/pipelines")?.status)
        }
        #expect(demo == 401)
        #expect(configured == 200)
    }

    @Test func badBodiesGet400Or422WithEveryProblem() throws {
        let server = try InProcessServer()
        let (malformed, invalid, shape) = synchronously {
            let api = server.api()
            let malformed = api.request("POST", "/v1/pipelines", body: #"{"name": }"#)
            let invalid = api.request(
                "POST", "/v1/pipelines",
                body:
                    #"{"name": "", "git_repository": "nope", "stages": [{"name": "1x", "type": "run"}], "paralell": true}"#
            )
            let shape = api.request("POST", "/v1/pipelines/", body: "[]")
            return (malformed, invalid, shape)
        }
        #expect(malformed?.status == 400)
        #expect((malformed?.json?["detail"] as? String)?.contains("offset 9") == true)
        #expect(invalid?.status == 422)
        #expect(invalid?.header("Content-Type") == "application/problem+json")
        // Every problem, each once, in document order.
        let fields = (invalid?.json?["errors"] as? [[String: String]])?.compactMap { $0["field"] } ?? []
        #expect(fields == ["name", "git_repository", "stages[0].name", "stages[0].type", "paralell"])
        #expect(invalid?.json?["detail"] as? String == "The pipeline document is invalid (5 problems, see errors).")
        #expect(shape?.status == 422)
        #expect((shape?.json?["errors"] as? [[String: String]])?.map { $0["field"] } == ["$"])
    }

    @Test func etagsGiveConditionalWritesAndCheapPolling() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            let id = try #require(api.request("POST", "/v1/pipelines", body: sampleDocument)?.json?["id"] as? String)
            let etag = try #require(api.request("GET", "/v1/pipelines/\(id)")?.header("ETag"))
            #expect(api.request("GET", "/v1/pipelines/\(id)", headers: ["If-None-Match": etag])?.status == 304)
            let updated = try #require(
                api.request("PUT", "/v1/pipelines/\(id)", body: sampleDocument, headers: ["If-Match": etag]))
            #expect(updated.status == 200)
            let current = try #require(updated.header("ETag"))
            #expect(current != etag)
            // A 412 says what the current version is, so the client can re-read or retry.
            let stalePut = api.request("PUT", "/v1/pipelines/\(id)", body: sampleDocument, headers: ["If-Match": etag])
            #expect(stalePut?.status == 412)
            #expect(stalePut?.header("ETag") == current)
            let staleDelete = api.request("DELETE", "/v1/pipelines/\(id)", headers: ["If-Match": etag])
            #expect(staleDelete?.status == 412)
            #expect(staleDelete?.header("ETag") == current)
            #expect(api.request("HEAD", "/v1/pipelines/\(id)")?.status == 200)
        }
    }

    @Test func listingPagesInCreationOrder() throws {
        let server = try InProcessServer()
        try synchronously {
            let api = server.api()
            var ids: [String] = []
            for _ in 0..<5 {
                ids.append(
                    try #require(api.request("POST", "/v1/pipelines", body: sampleDocument)?.json?["id"] as? String))
            }
            var seen: [String] = []
            var cursor: String?
            for _ in 0..<10 {  // 3 pages expected; bounded so a repeating cursor fails, not hangs
                let path = "/v1/pipelines?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try #require(api.request("GET", path)?.json)
                seen += (page["pipelines"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
                if cursor == nil { break }
            }
            #expect(seen == ids)
            #expect(api.request("GET", "/v1/pipelines?limit=0")?.status == 400)
            #expect(api.request("GET", "/v1/pipelines?cursor=bogus")?.status == 400)
        }
    }

    @Test func expectContinueIsRefusedEarlyWhenTheAnswerIsKnown() throws {
        let server = try InProcessServer()
        let (unauthenticated, tooLarge) = synchronously {
            let first = server.connect()
            first.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
            let second = server.connect()
            second.send(
                "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"
            )
            return (first.readResponse()?.status, second.readResponse()?.status)
        }
        #expect(unauthenticated == 401)  // no 100 Continue first
        #expect(tooLarge == 413)
    }
}
