import Foundation
import Testing

/// Every documented bound answers with its status and closes, and never hurts other clients.
@Suite(.serialized) struct LimitsTests {
    /// The answer's status, and whether the connection was closed at once after it (within 1 s,
    /// while every timeout that could also close it is 30 s or more).
    func status(of request: String, server: ServerHarness) async throws -> (Int?, Bool) {
        try await onThread {
            let client = try RawClient(port: server.port)
            client.send(request)
            let reply = client.readResponse()
            return (reply?.status, (client.secondsUntilClosed() ?? .infinity) < 1)
        }
    }

    @Test func oversizedPartsGetTheirStatusAndTheConnectionCloses() async throws {
        let server = try ServerHarness(["--header-timeout", "30", "--body-timeout", "30", "--idle-timeout", "60"])
        let longTarget = "/" + String(repeating: "a", count: 9000)
        #expect(try await status(of: "GET \(longTarget) HTTP/1.1\r\nHost: t\r\n\r\n", server: server) == (414, true))
        let bigHeader = "X-Big: " + String(repeating: "b", count: 17000) + "\r\n"
        #expect(try await status(of: "GET / HTTP/1.1\r\nHost: t\r\n\(bigHeader)\r\n", server: server) == (431, true))
        let many = (0..<101).map { "X-\($0): v\r\n" }.joined()
        #expect(try await status(of: "GET / HTTP/1.1\r\nHost: t\r\n\(many)\r\n", server: server) == (431, true))
        #expect(try await status(of: "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\n", server: server) == (413, true))
        #expect(try await status(of: "GET / HTTP/2.0\r\nHost: t\r\n\r\n", server: server) == (505, true))
        #expect(try await status(of: "GET / HTTP/1.1\r\n\r\n", server: server) == (400, true))
        #expect(try await status(of: "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", server: server) == (400, true))
        #expect(try await status(of: "GET / HTTP/1.1\r\nHost: t\r\nExpect: something\r\n\r\n", server: server) == (417, true))
        #expect(server.stop() == 0)
    }

    @Test func slowHeaderIsCutOffWithoutDelayingOthers() async throws {
        let server = try ServerHarness(["--header-timeout", "0.5"])
        let (slowClosed, fastStatus) = try await onThread {
            let slow = try RawClient(port: server.port)
            slow.send("GET / HTTP/1.1\r\nHost: t\r\n")
            let fast = try RawClient(port: server.port)
            let fastStatus = fast.sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")?.status
            let reply = slow.readResponse()
            return (reply?.status == 408 && slow.isClosedByPeer(), fastStatus)
        }
        #expect(fastStatus == 200)
        #expect(slowClosed)
        _ = server.stop()
    }

    @Test func partialHeadBehindAPipelinedRequestGetsTheHeadTimeout() async throws {
        let server = try ServerHarness(["--header-timeout", "0.5", "--idle-timeout", "60"])
        let (first, second) = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\n")
            return (client.readResponse()?.status, client.readResponse()?.status)
        }
        #expect(first == 200)
        #expect(second == 408)
        _ = server.stop()
    }

    @Test func idleKeepAliveConnectionIsClosedAfterIdleTimeout() async throws {
        let server = try ServerHarness(["--idle-timeout", "0.5"])
        let closed = try await onThread {
            let client = try RawClient(port: server.port)
            _ = client.sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            return client.isClosedByPeer()
        }
        #expect(closed)
        _ = server.stop()
    }

    @Test func stalledBodyTimesOut() async throws {
        let server = try ServerHarness(["--body-timeout", "0.5"])
        let status = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 10\r\n\r\n{")
            return client.readResponse()?.status
        }
        #expect(status == 408)
        _ = server.stop()
    }

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
