import Foundation
import Testing

/// An HTTP/1.0 client assumes the server closes after each response unless the response says
/// `Connection: keep-alive`; the server keeps such connections, so it must say so.
struct HTTP10KeepAliveTests {
    @Test func keepAliveIsAnnouncedAndTheConnectionServesTheNextRequest() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let (first, second) = try await onThread {
            let client = try RawClient(port: server.port)
            let request = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            client.send(request)
            let first = client.readResponse()
            client.send(request)
            return (first, client.readResponse())
        }
        #expect(first?.status == 200)
        #expect(first?.header("Connection")?.lowercased() == "keep-alive")
        #expect(second?.status == 200)
        #expect(second?.header("Connection")?.lowercased() == "keep-alive")
    }

    @Test func withoutKeepAliveAnHTTP10ResponseSaysCloseAndCloses() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let (reply, closed) = try await onThread {
            let client = try RawClient(port: server.port)
            client.send("GET /healthz HTTP/1.0\r\n\r\n")
            return (client.readResponse(), client.isClosedByPeer())
        }
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection")?.lowercased() == "close")
        #expect(closed)
    }

    @Test func anHTTP11ResponseOnAKeptConnectionHasNoConnectionField() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let reply = try await onThread {
            try RawClient(port: server.port).sendAndRead("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection") == nil)
    }
}
