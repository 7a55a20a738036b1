import Foundation
import Testing

/// A subscriber dropped for falling behind gets a short drain window (5 s) for its last frames,
/// not the 60 s idle timeout, and every drop is counted in the log.
struct DroppedSubscriberDrainTests {
    static let auth = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"

    /// The server's open sockets (listener and connections), read from /proc: what tells, without
    /// reading from the client (which would let the flush finish), that the server closed it.
    static func socketCount(of pid: Int32) -> Int {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)"))?.hasPrefix("socket:") == true
        }.count
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass; the time it took, or nil.
    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if condition() { return Date().timeIntervalSince(start) }
            usleep(20_000)
        }
        return nil
    }

    @Test func aDroppedSubscriberThatNeverReadsIsClosedWithinTheDrainWindow() async throws {
        let server = try ServerHarness()  // default idle timeout: 60 s
        defer { _ = server.stop() }
        let pid = server.process.processIdentifier
        let idleSockets = Self.socketCount(of: pid)
        let (dropSeen, closedAfter) = try await onThread { () -> (Bool, Double?) in
            var api: APIClient? = try APIClient(port: server.port)
            let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
            let id = api?.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"] as? String
            let stalled = try RawClient(port: server.port)
            var small: Int32 = 4096
            setsockopt(stalled.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            stalled.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)\r\n")
            for _ in 0..<350 { _ = api?.request("POST", "/v1/pipelines/\(id ?? "none")/trigger") }
            api = nil  // its connection closes at once; only the stalled one is left
            let dropSeen = Self.waitFor(seconds: 5) { server.log.contains("subscriber_dropped") } != nil
            // Bounded well past the window but far short of the idle timeout.
            let closedAfter = Self.waitFor(seconds: 10) { Self.socketCount(of: pid) == idleSockets }
            _ = stalled
            return (dropSeen, closedAfter)
        }
        #expect(dropSeen)
        let seconds = try #require(closedAfter, "the dropped subscriber's connection was still open after 10 s")
        #expect(seconds < 5 + 1.5, "closed \(seconds) s after the drop was logged (window 5 s, sweep 1 s)")
    }

    @Test func everyDropIsCountedInTheLog() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let logged = try await onThread { () -> Bool in
            let api = try APIClient(port: server.port)
            let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
            let id = api.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"] as? String
            var stalled: [RawClient] = []
            for _ in 0..<2 {
                let client = try RawClient(port: server.port)
                var small: Int32 = 4096
                setsockopt(client.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
                client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)\r\n")
                stalled.append(client)
            }
            for _ in 0..<350 { _ = api.request("POST", "/v1/pipelines/\(id ?? "none")/trigger") }
            return Self.waitFor(seconds: 5) {
                let log = server.log
                return log.contains("dropped_total=1") && log.contains("dropped_total=2")
            } != nil
        }
        #expect(logged, "log: \(server.log.split(separator: "\n").filter { $0.contains("dropped") })")
    }
}
