import Foundation
import PipelineClient
import Testing

/// User input becomes exactly one path segment or query value, whatever it contains.
struct URLEncodingTests {
    @Test(arguments: [
        ("Run tests", "Run%20tests"), ("build/linux", "build%2Flinux"), ("é", "%C3%A9"),
        ("a?b#c&d=e+f%", "a%3Fb%23c%26d%3De%2Bf%25"), ("..", "%2E%2E"), (".", "%2E"), ("A-z_0.9~", "A-z_0.9~"),
    ])
    func encodesOnePathSegment(_ raw: String, _ encoded: String) {
        #expect(URLEncoding.pathSegment(raw) == encoded)
    }

    @Test func buildsStageResultURLsBelowABaseURLWithAPath() throws {
        let base = try #require(PipelineAPI.parseBaseURL("https://ci.example.com/api/"))
        let api = PipelineAPI(baseURL: base, credentials: nil)
        let url = api.url(["v1", "pipelines", "p 1", "runs", "r", "stages", "a/b", "result"])
        #expect(url.absoluteString == "https://ci.example.com/api/v1/pipelines/p%201/runs/r/stages/a%2Fb/result")
        #expect(
            api.url(["v1", "events"], query: [("pipeline_id", "x&y")]).absoluteString
                == "https://ci.example.com/api/v1/events?pipeline_id=x%26y")
    }

    @Test(arguments: ["ftp://example.com", "example.com", "http://", "http://host/?q=1", "http://host/#f"])
    func refusesUnusableBaseURLs(_ text: String) {
        #expect(PipelineAPI.parseBaseURL(text) == nil)
    }

    @Test func sendsBasicCredentials() {
        #expect(BasicCredentials(username: "admin", password: "admin").headerValue == "Basic YWRtaW46YWRtaW4=")
    }
}
