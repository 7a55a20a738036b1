import Foundation
import Testing

/// SIGTERM stops accepting, lets the request in flight finish, and exits 0.
@Suite(.serialized) struct ShutdownTests {
    @Test func requestInFlightCompletesDuringGracefulShutdown() async throws {
        let server = try ServerHarness()
        let client = try await onThread { try RawClient(port: server.port) }
        // Half a request is in flight when the signal arrives.
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
        try await Task.sleep(for: .milliseconds(100))
        kill(server.process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        let reply = try await onThread { () -> HTTPReply? in
            client.send("\r\n")
            return client.readResponse()
        }
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection") == "close")
        #expect(server.stop() == 0)
        #expect((try? RawClient(port: server.port)) == nil)
    }

    @Test func idleServerStopsAtOnceWithStatusZero() async throws {
        let server = try ServerHarness()
        _ = try await onThread { try RawClient(port: server.port).sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n") }
        #expect(server.stop(seconds: 5) == 0)
    }
}
