import Foundation
import TestSupport
import Testing

/// Resuming `GET /v1/events` with `Last-Event-ID`: the filter applies to the replay too, and a
/// gap is announced with an `events_lost` frame before what is kept.
@Suite(.serialized) struct EventResumeTests {
    static let auth = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"

    /// The `id:` of every frame in `text`, in order (split on bytes: "\r\n" of the chunk framing
    /// is one `Character`).
    static func ids(_ text: String) -> [Int] {
        text.utf8.split(separator: UInt8(ascii: "\n")).compactMap { line in
            line.starts(with: "id: ".utf8) ? Int(String(decoding: line.dropFirst(4), as: UTF8.self)) : nil
        }
    }

    static func subscribe(_ port: Int, query: String = "", lastEventID: Int) throws -> RawClient {
        let client = try RawClient(port: port)
        client.send("GET /v1/events\(query) HTTP/1.1\r\nHost: t\r\n\(auth)Last-Event-ID: \(lastEventID)\r\n\r\n")
        return client
    }

    @Test func resumingWithAFilterReplaysAndFollowsOnlyThatPipeline() async throws {
        let server = try ServerHarness()
        let text = try await onThread { () -> String? in
            let api = try APIClient(port: server.port)
            let mine = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            let other = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("b", 60)]))?.json?["id"] as? String)
            _ = api.request("POST", "/v1/pipelines/\(mine)/trigger")  // 1–3
            _ = api.request("POST", "/v1/pipelines/\(other)/trigger")  // 4–6
            _ = api.request("POST", "/v1/pipelines/\(mine)/trigger")  // 7–11: cancels its run, starts another
            let resumed = try Self.subscribe(server.port, query: "?pipeline_id=\(mine)", lastEventID: 1)
            _ = resumed.read(until: "id: 11\n")
            _ = api.request("POST", "/v1/pipelines/\(other)/trigger")  // 12–16
            _ = api.request("POST", "/v1/pipelines/\(mine)/trigger")  // 17–21
            return resumed.read(until: "id: 21\n")
        }
        let received = try #require(text)
        #expect(Self.ids(received) == [2, 3, 7, 8, 9, 10, 11, 17, 18, 19, 20, 21])
        #expect(!received.contains("events_lost"))
        _ = server.stop()
    }

    @Test func anIDFromAnEarlierLifeGetsEventsLostThenEverythingKept() async throws {
        let server = try ServerHarness()
        let text = try await onThread { () -> String? in
            let api = try APIClient(port: server.port)
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            _ = api.request("POST", "/v1/pipelines/\(id)/trigger")  // 1–3
            return try Self.subscribe(server.port, lastEventID: 500).read(until: "id: 3\n")
        }
        let received = try #require(text)
        let lost = try #require(received.range(of: "event: events_lost\n"))
        #expect(lost.upperBound <= received.range(of: "id: 1\n")!.lowerBound)
        #expect(Self.ids(received) == [1, 2, 3])
        _ = server.stop()
    }

    @Test func anIDOlderThanTheRingGetsEventsLostThenTheOldestKept() async throws {
        let server = try ServerHarness()
        let text = try await onThread { () -> String? in
            let api = try APIClient(port: server.port)
            // 100 parallel stages: each trigger after the first cancels 101 and starts 102 events,
            // so 100 triggers push the first events out of the 10,000-event ring.
            let stages = (0..<100).map { ("s\($0)", 60) }
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"]
                    as? String)
            for _ in 0..<100 { _ = api.request("POST", "/v1/pipelines/\(id)/trigger") }
            let marker = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("marker", 60)]))?.json?["id"] as? String)
            _ = api.request("POST", "/v1/pipelines/\(marker)/trigger")
            return try Self.subscribe(server.port, lastEventID: 1).read(until: #""stage":"marker""#)
        }
        let received = try #require(text)
        let ids = Self.ids(received)
        let last = try #require(ids.last)
        #expect(last > 10_001)
        // Exactly the ring's 10,000 newest events, in order, after the announcement of the gap.
        #expect(ids == Array((last - 9_999)...last))
        let lost = try #require(received.range(of: "event: events_lost\n"))
        #expect(lost.upperBound <= received.range(of: "id: \(last - 9_999)\n")!.lowerBound)
        _ = server.stop()
    }
}
