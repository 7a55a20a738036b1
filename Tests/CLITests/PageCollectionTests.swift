import Foundation
import PipelineClient
import Testing

/// Following `next_cursor` joins the pages without re-encoding a single item.
struct PageCollectionTests {
    let api = PipelineAPI(baseURL: URL(string: "http://127.0.0.1:9")!, credentials: nil)

    static let pages: [String?: String] = [
        nil: #"{"pipelines": [{"id": "a", "k8s": {"n": 1e400}}, {"id": "b"}], "next_cursor": "c\u0031"}"#,
        "c1": #"{"pipelines":[{"id":"c","big":123456789012345678901234567890}],"next_cursor":"c2"}"#,
        "c2": #"{"pipelines": [], "next_cursor": null}"#,
    ]

    @Test func joinsEveryPageKeepingItemsByteForByte() async throws {
        var asked: [String?] = []
        let response = try await api.collectPages(key: "pipelines") { cursor throws(ClientError) in
            asked.append(cursor)
            return APIResponse(status: 200, body: Data(Self.pages[cursor]!.utf8))
        }
        #expect(asked == [nil, "c1", "c2"])
        #expect(response.status == 200)
        #expect(
            String(decoding: response.body, as: UTF8.self) == """
                {"pipelines": [{"id": "a", "k8s": {"n": 1e400}}, {"id": "b"}, {"id":"c","big":123456789012345678901234567890}], "next_cursor": null}
                """)
    }

    @Test func answersAFailedPageAsItIs() async throws {
        let problem = APIResponse(status: 401, body: Data(#"{"status": 401}"#.utf8))
        let response = try await api.collectPages(key: "runs") { cursor throws(ClientError) in
            cursor == nil ? APIResponse(status: 200, body: Data(#"{"runs": [], "next_cursor": "x"}"#.utf8)) : problem
        }
        #expect(response == problem)
    }

    @Test func stopsWhenACursorRepeats() async {
        await #expect(
            throws: ClientError.unexpectedResponse(url: "http://127.0.0.1:9", reason: "the cursor same repeats")
        ) {
            _ = try await api.collectPages(key: "runs") { _ throws(ClientError) in
                APIResponse(status: 200, body: Data(#"{"runs": [], "next_cursor": "same"}"#.utf8))
            }
        }
    }

    @Test func refusesAPageThatIsNotJSON() async {
        await #expect(
            throws: ClientError.unexpectedResponse(url: "http://127.0.0.1:9/v1", reason: "a page is not a JSON object")
        ) {
            _ = try await api.collectPages(key: "runs") { _ throws(ClientError) in
                APIResponse(status: 200, body: Data("<html>".utf8))
            }
        }
    }
}
