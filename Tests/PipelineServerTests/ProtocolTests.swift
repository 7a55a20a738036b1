import Foundation
import Testing

/// HTTP/1.1 behaviour of the real server over real sockets.
@Suite(.serialized) struct ProtocolTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try ServerHarness()
        let replies = try await onThread {
            let client = try RawClient(port: server.port)
            var statuses: [Int] = []
            for _ in 0..<3 {
                client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                statuses.append(client.readResponse()?.status ?? 0)
            }
            return statuses
        }
        #expect(replies == [200, 200, 200])
        #expect(server.stop() == 0)
    }

    @Test func pipelinedRequestsInOneWriteAreAnsweredInOrder() async throws {
        let server = try ServerHarness()
        let replies = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            return (0..<3).map { _ in client.readResponse()?.status ?? 0 }
        }
        #expect(replies == [200, 404, 200])
        _ = server.stop()
    }

    @Test func requestDrippedOneByteAtATimeIsServed() async throws {
        let server = try ServerHarness()
        let reply = try await onThread {
            let client = try RawClient(port: server.port)
            for byte in Array("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n".utf8) { client.send([byte]) }
            return client.readResponse()
        }
        #expect(reply?.status == 200)
        _ = server.stop()
    }

    @Test func responsesCarryDateLengthAndType() async throws {
        let server = try ServerHarness()
        let reply = try await onThread {
            try RawClient(port: server.port).sendAndRead("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        #expect(reply?.header("Date")?.hasSuffix(" GMT") == true)
        #expect(reply?.header("Content-Length") == "\(reply?.body.count ?? -1)")
        #expect(reply?.header("Content-Type") == "application/json; charset=utf-8")
        #expect(reply?.text.contains("Welcome to the pipeline API.") == true)
        _ = server.stop()
    }

    @Test func headReturnsTheHeadersOfGetWithoutBody() async throws {
        let server = try ServerHarness()
        let (get, head, next) = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let get = client.readResponse()
            client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = client.readResponse(toHEAD: true)
            return (get, head, client.readResponse())
        }
        #expect(head?.status == 200)
        #expect(head?.header("Content-Length") == get?.header("Content-Length"))
        #expect(head?.body.isEmpty == true)
        #expect(next?.status == 200)  // no stray body bytes between the two
        _ = server.stop()
    }

    @Test func unknownPathIs404ProblemAndWrongMethodIs405WithAllow() async throws {
        let server = try ServerHarness()
        let (missing, wrong) = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
            let missing = client.readResponse()
            client.send("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            return (missing, client.readResponse())
        }
        #expect(missing?.status == 404)
        #expect(missing?.header("Content-Type") == "application/problem+json")
        #expect(missing?.json?["status"] as? Int == 404)
        #expect(wrong?.status == 405)
        #expect(wrong?.header("Allow") == "GET, HEAD")
        _ = server.stop()
    }

    @Test func http10ClosesAfterTheResponseUnlessKeepAliveIsAsked() async throws {
        let server = try ServerHarness()
        let (closed, kept) = try await onThread {
            let first = try RawClient(port: server.port)
            first.send("GET /healthz HTTP/1.0\r\n\r\n")
            _ = first.readResponse()
            let second = try RawClient(port: server.port)
            second.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            _ = second.readResponse()
            second.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            return (first.isClosedByPeer(), second.readResponse()?.status)
        }
        #expect(closed)
        #expect(kept == 200)
        _ = server.stop()
    }

    @Test func connectionCloseIsHonouredAndLaterBytesIgnored() async throws {
        let server = try ServerHarness()
        let (reply, next, closed) = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let reply = client.readResponse()
            return (reply, client.readResponse(), client.isClosedByPeer())
        }
        #expect(reply?.header("Connection") == "close")
        #expect(next == nil)
        #expect(closed)
        _ = server.stop()
    }
}

extension RawClient {
    func sendAndRead(_ text: String) -> HTTPReply? {
        send(text)
        return readResponse()
    }
}
