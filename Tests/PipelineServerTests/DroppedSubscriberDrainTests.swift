import Foundation
import TestSupport
import Testing

/// A subscriber dropped for falling behind gets a short drain window (5 s) for its last frames,
/// not the 60 s idle timeout, and every drop is counted in the log.
struct DroppedSubscriberDrainTests {
    /// The server's open sockets (listener and connections), read from /proc: what tells, without
    /// reading from the client (which would let the flush finish), that the server closed it.
    static func socketCount(of pid: Int32) -> Int {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)"))?.hasPrefix("socket:")
                == true
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
            let stalled = try SlowSubscriber.connect(port: server.port)
            // The flooding client's connection closes when it returns; only the stalled one is left.
            SlowSubscriber.flood(try APIClient(port: server.port))
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
            let stalled = [
                try SlowSubscriber.connect(port: server.port), try SlowSubscriber.connect(port: server.port),
            ]
            SlowSubscriber.flood(try APIClient(port: server.port))
            defer { _ = stalled }
            return Self.waitFor(seconds: 5) {
                let log = server.log
                return log.contains("dropped_total=1") && log.contains("dropped_total=2")
            } != nil
        }
        #expect(logged, "log: \(server.log.split(separator: "\n").filter { $0.contains("dropped") })")
    }
}
