import Foundation
import TestSupport
import Testing

/// `GET /v1/events`: Server-Sent Events with resume, filters, and bounded slow subscribers.
@Suite(.serialized) struct EventStreamTests {
    static let auth = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"

    func subscribe(_ port: Int, query: String = "", lastEventID: Int? = nil) throws -> RawClient {
        let client = try RawClient(port: port)
        let resume = lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? ""
        client.send("GET /v1/events\(query) HTTP/1.1\r\nHost: t\r\n\(Self.auth)\(resume)\r\n")
        _ = client.read(until: "text/event-stream")
        return client
    }

    @Test func twoSubscribersSeeTheTriggerAndAFilterHidesOtherPipelines() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 60)]))?.json?["id"] as? String)
            let other = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("x", 60)]))?.json?["id"] as? String)
            let everything = try subscribe(server.port)
            let filtered = try subscribe(server.port, query: "?pipeline_id=\(id)")
            _ = api.request("POST", "/v1/pipelines/\(other)/trigger")
            _ = api.request("POST", "/v1/pipelines/\(id)/trigger")
            let all = try #require(everything.read(until: "\"stage\":\"build\""))
            #expect(all.contains("\"pipeline_id\":\"\(other)\""))
            let mine = try #require(filtered.read(until: "\"stage\":\"build\""))
            #expect(!mine.contains(other))
            #expect(mine.contains("event: run_started"))
            #expect(mine.contains("event: stage_started"))
            #expect(
                mine.range(of: "event: run_started")!.lowerBound < mine.range(of: "event: stage_started")!.lowerBound)
        }
        _ = server.stop()
    }

    @Test func idleStreamsGetHeartbeatComments() async throws {
        let server = try ServerHarness(["--event-heartbeat", "0.2"])
        let text = try await onThread { try subscribe(server.port).read(until: ": heartbeat\n\n") }
        #expect(text != nil)
        _ = server.stop()
    }

    @Test func lastEventIDResumesAfterThatEvent() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            let id = try #require(
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("a", 60)]))?.json?["id"] as? String)
            _ = api.request("POST", "/v1/pipelines/\(id)/trigger")  // events 1–3
            _ = api.request("POST", "/v1/pipelines/\(id)/trigger")  // cancels the first, starts another
            let resumed = try subscribe(server.port, lastEventID: 3)
            let text = try #require(resumed.read(until: "id: 4\n"))
            #expect(!text.contains("id: 3\n"))
            #expect(text.contains("event: run_cancelled") || resumed.read(until: "event: run_cancelled") != nil)
        }
        _ = server.stop()
    }

    @Test func aSubscriberThatStopsReadingIsDroppedAndOthersAreServed() async throws {
        let server = try ServerHarness()
        try await onThread {
            let api = try APIClient(port: server.port)
            // 100 parallel stages with long names: each trigger cancels the previous run and starts
            // a new one, about 200 events and 60 KiB of stream per trigger.
            let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
            let document = runStagesDocument(stages, parallel: true)
            let id = try #require(api.request("POST", "/v1/pipelines", body: document)?.json?["id"] as? String)
            let stalled = try RawClient(port: server.port)
            var small: Int32 = 4096
            setsockopt(stalled.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            stalled.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)\r\n")
            // About 20 MiB that nobody reads: far more than the kernel's socket buffers absorb, so
            // the server's own per-subscriber bound (1 MiB) must be what stops the growth.
            // The storm stops once the server has logged the drop: from then on the stream's last
            // frames have the drain window (5 s), which a slow build (a sanitizer's) could use up
            // before this client starts reading.
            var triggers = 0
            while triggers < 350 {
                _ = api.request("POST", "/v1/pipelines/\(id)/trigger")
                triggers += 1
                if triggers % 10 == 0, server.log.contains("subscriber_dropped") { break }
            }
            #expect(api.request("GET", "/healthz")?.status == 200)
            var large: Int32 = 4 << 20  // now read the backlog quickly
            setsockopt(stalled.socket, SOL_SOCKET, SO_RCVBUF, &large, socklen_t(MemoryLayout<Int32>.size))
            _ = try #require(stalled.read(until: "event: subscriber_dropped"))
            // Dropped, not merely slow: the server closes the stream, the drop frame is its last
            // frame, and not every stage start of the storm arrived.
            #expect(stalled.secondsUntilClosed() != nil)
            let text = try #require(stalled.read(until: "event: subscriber_dropped"))  // all received
            let started = text.components(separatedBy: "event: stage_started").count - 1
            #expect(started > 0 && started < triggers * 100, "\(started) of \(triggers * 100) stage starts arrived")
            let rest = text.components(separatedBy: "event: subscriber_dropped").last ?? ""
            #expect(!rest.contains("id: "))
        }
        _ = server.stop()
    }

    @Test func aDroppedSubscriberThatNeverReadsGivesBackItsConnectionAfterTheIdleTimeout() async throws {
        // Two connections at most: while the dropped subscriber holds one, a second client fits
        // but a third does not.
        let server = try ServerHarness(["--idle-timeout", "1", "--max-connections", "2"])
        try await onThread {
            let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
            var api: APIClient? = try APIClient(port: server.port)
            let id = try #require(
                api?.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"]
                    as? String)
            let stalled = try RawClient(port: server.port)
            var small: Int32 = 4096
            setsockopt(stalled.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            stalled.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)\r\n")
            for _ in 0..<350 { _ = api?.request("POST", "/v1/pipelines/\(id)/trigger") }
            api = nil  // closes its connection
            // Observed rather than slept for: two clients fit once the stalled subscriber's
            // connection is given back (the idle timeout is 1 s; give up after 10 s).
            var statuses: [Int?] = []
            for _ in 0..<100 {
                let first = try APIClient(port: server.port)
                let second = try APIClient(port: server.port)
                statuses = [first.request("GET", "/healthz")?.status, second.request("GET", "/healthz")?.status]
                if statuses == [200, 200] { break }
                usleep(100_000)
            }
            #expect(statuses == [200, 200])
            _ = stalled
        }
        _ = server.stop()
    }
}
