import Foundation
import Testing

/// `?limit=100` over big documents built a body of ~100 MB. A page now
/// ends before the item that would take it past 1 MiB and says where the rest starts.
struct ListPageBudgetTests {
    /// A valid document of about `bytes` bytes: a Deploy stage whose manifest carries the bulk.
    func bigDocument(_ name: String, bytes: Int) -> String {
        let bulk = String(repeating: "x", count: bytes)
        return
            #"{"name": "\#(name)", "git_repository": "https://example.com/r.git", "stages": [{"name": "Deploy", "type": "Deploy", "k8s_manifest": {"bulk": "\#(bulk)"}, "cluster": {"name": "c", "server_url": "https://k8s.example.com"}}]}"#
    }

    /// Every page of the list at `path`, `limit=100` each, following `next_cursor` to the end.
    func allPages(_ api: MemoryAPIClient, _ path: String) throws -> [HTTPReply] {
        var pages: [HTTPReply] = []
        var cursor: String?
        repeat {
            let page = try #require(api.request("GET", path + "?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")))
            pages.append(page)
            cursor = page.json?["next_cursor"] as? String
        } while cursor != nil
        return pages
    }

    @Test func bigPipelinesArePagedByBytesNotJustByLimit() throws {
        let server = try InProcessServer()
        let pages = try synchronously { () -> [HTTPReply] in
            let api = server.api()
            for index in 0..<5 {
                #expect(
                    api.request("POST", "/v1/pipelines", body: bigDocument("p\(index)", bytes: 400_000))?.status == 201)
            }
            return try allPages(api, "/v1/pipelines")
        }
        let names = pages.map { ($0.json?["pipelines"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        #expect(names == [["p0", "p1"], ["p2", "p3"], ["p4"]])
        for page in pages { #expect(page.body.count <= 1 << 20 + 64) }
    }

    @Test func longRunListsArePagedByBytesToo() throws {
        // 100 stages with 100-character names make each run about 18 KB: 70 of them exceed 1 MiB.
        let stages = (0..<100).map { (String(format: "s%03d", $0) + String(repeating: "x", count: 96), 600) }
        let server = try InProcessServer()
        let (pages, runIDs) = try synchronously { () -> ([HTTPReply], [String]) in
            let api = server.api()
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument(stages))?.json?["id"] as? String)
            let runIDs = (0..<70).compactMap { _ in
                api.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String
            }
            return (try allPages(api, "/v1/pipelines/\(id)/runs"), runIDs)
        }
        #expect(pages.count == 2)
        for page in pages { #expect(page.status == 200 && page.body.count <= 1 << 20 + 64) }
        let listed = pages.flatMap { ($0.json?["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        #expect(listed == runIDs.reversed())  // every run once, newest first
    }
}
