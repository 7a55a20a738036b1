import Foundation
import TestSupport
import Testing

/// Keep-alive and pipelining through the real binary and real sockets: the end-to-end check of
/// what `ProtocolTests` (in-process) covers rule by rule.
@Suite(.serialized) struct SocketProtocolTests {
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
            client.send(
                "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            return (0..<3).map { _ in client.readResponse()?.status ?? 0 }
        }
        #expect(replies == [200, 404, 200])
        _ = server.stop()
    }
}

extension RawClient {
    func sendAndRead(_ text: String) -> HTTPReply? {
        send(text)
        return readResponse()
    }
}
