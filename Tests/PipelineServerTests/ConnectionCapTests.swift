import Foundation
import TestSupport
import Testing

/// The connection cap, which only the real listener enforces (every other limit is tested
/// in-process, in `InProcess/LimitsTests.swift`).
@Suite(.serialized) struct ConnectionCapTests {
    @Test func connectionsPastTheCapAreClosedAtOnce() async throws {
        let server = try ServerHarness(["--max-connections", "2", "--header-timeout", "30", "--idle-timeout", "60"])
        let (third, firstStillServed) = try await onThread {
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            _ = first.sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = second.sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let third = try RawClient(port: server.port)
            third.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            // Closed at accept, unanswered: well within 1 s, while the timeouts are 30 s or more.
            let closedAfter = third.secondsUntilClosed()
            let thirdClosedUnanswered = (closedAfter ?? .infinity) < 1 && third.unreadCount == 0
            return (thirdClosedUnanswered, first.sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")?.status)
        }
        #expect(third)
        #expect(firstStillServed == 200)
        _ = server.stop()
    }
}
