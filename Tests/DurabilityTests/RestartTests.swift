import Foundation
import TestSupport
import Testing

/// A graceful restart on the same data directory: what the API showed before, it shows after,
/// byte for byte, and the event stream continues where it stopped.
@Suite struct RestartTests {
    /// What one GET answered: compared whole across the restart.
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var etag: String?
        var body: String

        var description: String { "\(status) ETag \(etag ?? "none") \(body)" }
    }

    @Test func restartKeepsEveryPipelineRunCursorAndEvent() async throws {
        let scratch = try ScratchDirectory("restart")
        let data = scratch.appending("data")
        try await onThread {
            let first = try DurableServer.start(dataDirectory: data)
            let stream = try EventStream(server: first)
            let client = try first.client()
            let ids = try Self.makeHistory(client)
            let paths = try Self.paths(client, ids: ids)
            let before = try Self.answers(client, paths)
            #expect(first.terminate() == 0)
            // What the subscriber saw live before the stop (events are sent once durable, so the
            // last writes' may not have gone out before the stream ended: they are replayed below).
            var seen: [SeenEvent] = []
            while let event = stream.next(before: Date().addingTimeInterval(20)) { seen.append(event) }
            #expect(seen.last?.type == "server_stopping")
            seen.removeAll { $0.id <= 0 }

            let second = try DurableServer.start(dataDirectory: data)
            defer { _ = second.terminate() }
            let client2 = try second.client()
            let after = try Self.answers(client2, paths)
            for path in paths {
                #expect(after[path] == before[path], "GET \(path) changed across the restart")
            }

            // Resuming after the last event seen gives the rest of the history, then the events
            // of a write made after the restart, numbered on from the stored ones.
            let lastSeen = seen.last?.id ?? 0
            let resumed = try EventStream(server: second, lastEventID: lastSeen)
            let marker = try client2.post("/v1/pipelines", json: pipelineDocument(name: "after restart", timeout: 600))
            let markerID = try #require(marker.json?["id"] as? String)
            #expect(try client2.post("/v1/pipelines/\(markerID)/trigger").status == 200)
            var tail: [SeenEvent] = []
            var fresh: SeenEvent?
            while let event = resumed.next(before: Date().addingTimeInterval(10)) {
                guard event.id > 0 else { continue }
                if event.data.contains(markerID) {
                    fresh = event
                    break
                }
                tail.append(event)
            }
            let history = seen + tail
            #expect(
                history.map(\.id) == Array(1...max(1, history.count)), "event ids of the history: \(history.map(\.id))")
            #expect(history.count >= 20, "the history made \(history.count) events")
            #expect(
                fresh?.id == (history.last?.id ?? 0) + 1,
                "the first event after the restart is \(String(describing: fresh))")

            // A replay from the start is the same history, byte for byte.
            let replay = try EventStream(server: second, lastEventID: 0)
                .events(through: history.last!.id, before: Date().addingTimeInterval(10))
                .filter { $0.id > 0 }
            #expect(replay == history, "the replay after the restart differs from the history")

            // Resuming in the middle continues right after the id given.
            let middle = history.count / 2
            let fromMiddle = try EventStream(server: second, lastEventID: history[middle].id)
            #expect(fromMiddle.next(before: Date().addingTimeInterval(10)) == history[middle + 1])
            #expect(second.terminate() == 0)
        }
    }

    /// Creates five pipelines and walks them through every kind of write; returns their ids
    /// (the fifth is deleted).
    static func makeHistory(_ client: HTTPClient) throws -> [String] {
        var ids: [String] = []
        for index in 0..<5 {
            let document = pipelineDocument(name: "restart \(index)", timeout: 600, stages: 2, parallel: index == 1)
            let created = try client.post("/v1/pipelines", json: document)
            try #require(created.status == 201)
            ids.append(try #require(created.json?["id"] as? String))
        }
        #expect(
            try client.put(
                "/v1/pipelines/\(ids[0])", json: pipelineDocument(name: "restart 0 v2", timeout: 600, stages: 2)
            ).status == 200)
        #expect(
            try client.put(
                "/v1/pipelines/\(ids[0])", json: pipelineDocument(name: "restart 0 v3", timeout: 600, stages: 2)
            ).status == 200)
        #expect(
            try client.put(
                "/v1/pipelines/\(ids[2])", json: pipelineDocument(name: "restart 2 v2", timeout: 600, stages: 2)
            ).status == 200)
        #expect(try client.delete("/v1/pipelines/\(ids[4])").status == 200)

        func trigger(_ id: String) throws -> String {
            let reply = try client.post("/v1/pipelines/\(id)/trigger")
            try #require(reply.status == 200)
            return try #require(reply.json?["run_id"] as? String)
        }
        func report(_ id: String, _ run: String, _ stage: String, _ status: String) throws {
            let reply = try client.post(
                "/v1/pipelines/\(id)/runs/\(run)/stages/\(stage)/result", json: #"{"status": "\#(status)"}"#)
            #expect(reply.status == 200, "report \(status): \(reply.text)")
        }
        let running = try trigger(ids[0])
        try report(ids[0], running, "step%201", "succeeded")  // step 2 now running
        let cancelled = try trigger(ids[1])
        #expect(try client.post("/v1/pipelines/\(ids[1])/runs/\(cancelled)/cancel").status == 200)
        #expect(try client.post("/v1/pipelines/\(ids[1])/runs/\(cancelled)/retry").status == 200)
        let failed = try trigger(ids[2])
        try report(ids[2], failed, "step%201", "failed")
        _ = try trigger(ids[3])
        let second = try trigger(ids[3])  // cancels the first
        try report(ids[3], second, "step%201", "succeeded")
        try report(ids[3], second, "step%202", "succeeded")
        return ids
    }

    /// Every GET whose answer must survive: each pipeline (the deleted one's 404 too), the list
    /// whole and page by page with its cursors, each pipeline's runs likewise, and each run.
    static func paths(_ client: HTTPClient, ids: [String]) throws -> [String] {
        var paths = ids.map { "/v1/pipelines/\($0)" } + ["/v1/pipelines"]
        paths += try pages(client, "/v1/pipelines?limit=2", key: "pipelines")
        for id in ids.dropLast() {
            paths.append("/v1/pipelines/\(id)/runs")
            paths += try pages(client, "/v1/pipelines/\(id)/runs?limit=1", key: "runs")
            let runs = try client.get("/v1/pipelines/\(id)/runs").json?["runs"] as? [[String: Any]] ?? []
            paths += runs.compactMap { $0["id"] as? String }.map { "/v1/pipelines/\(id)/runs/\($0)" }
        }
        return paths
    }

    /// The first page's path and every following page's, found through `next_cursor`.
    static func pages(_ client: HTTPClient, _ first: String, key: String) throws -> [String] {
        var paths = [first]
        var path = first
        for _ in 0..<50 {
            guard let cursor = try client.get(path).json?["next_cursor"] as? String else { break }
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
            path = first + "&cursor=" + encoded
            paths.append(path)
        }
        return paths
    }

    static func answers(_ client: HTTPClient, _ paths: [String]) throws -> [String: Answer] {
        var answers: [String: Answer] = [:]
        for path in paths {
            let reply = try client.get(path)
            answers[path] = Answer(status: reply.status, etag: reply.header("ETag"), body: reply.text)
        }
        return answers
    }
}
