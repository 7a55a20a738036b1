import Foundation
import TestSupport
import Testing

/// SIGTERM stops accepting, lets the request in flight finish, and exits 0.
@Suite(.serialized) struct ShutdownTests {
    @Test func requestInFlightCompletesDuringGracefulShutdown() async throws {
        // Generous grace and head timeouts, so only a server that drops the request fails this,
        // not a slow one (under a sanitizer the steps below take seconds).
        let server = try ServerHarness(["--shutdown-grace", "60", "--header-timeout", "60"])
        let client = try await onThread { try RawClient(port: server.port) }
        // Half a request is in flight when the signal arrives.
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
        try await Task.sleep(for: .milliseconds(100))
        kill(server.process.processIdentifier, SIGTERM)
        let reply = try await onThread { () -> HTTPReply? in
            // The rest is sent once the server is seen to stop accepting (at most 5 s).
            let deadline = Date().addingTimeInterval(5)
            while (try? RawClient(port: server.port)) != nil, Date() < deadline { usleep(10_000) }
            client.send("\r\n")
            return client.readResponse()
        }
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection") == "close")
        #expect(server.stop() == 0)
        #expect((try? RawClient(port: server.port)) == nil)
    }

    @Test func idleServerStopsAtOnceWithStatusZero() async throws {
        let server = try ServerHarness(["--shutdown-grace", "30"])
        _ = try await onThread {
            try RawClient(port: server.port).sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        // At once: well within 1 s, while the grace period it could wait for is 30 s.
        let start = Date()
        #expect(server.stop(seconds: 5) == 0)
        #expect(Date().timeIntervalSince(start) < 1)
    }
}
