import Foundation
import TestSupport
import Testing

/// SIGTERM ends every event stream properly before the process exits: a `server_stopping`
/// event, then the chunked terminator (HTTP/1.1) or the close (HTTP/1.0).
struct ShutdownStreamTests {
    static let auth = EventStreamTests.auth

    @Test func aSubscriberSeesServerStoppingThenACleanChunkedEnd() async throws {
        let server = try ServerHarness()
        let (stream, closed, status) = try await onThread { () -> (String?, Bool, Int32?) in
            let client = try RawClient(port: server.port)
            client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)\r\n")
            // The head is written when the subscription is made, so the stream is live now.
            _ = client.read(until: "\r\n\r\n")
            server.process.terminate()
            let stream = client.read(until: "\r\n0\r\n\r\n")
            let closed = client.isClosedByPeer()
            return (stream, closed, server.stop())
        }
        let text = try #require(stream, "the stream ended without the chunked terminator")
        let data = ControlEventTests.data(of: "server_stopping", in: text)
        #expect(data?["type"] as? String == "server_stopping")
        #expect(text.hasSuffix("}\n\n\r\n0\r\n\r\n"), "the event is the last thing before the terminator")
        #expect(closed)
        #expect(status == 0)
    }

    @Test func anHTTP10SubscriberSeesServerStoppingThenTheClose() async throws {
        let server = try ServerHarness()
        let (stream, closed, status) = try await onThread { () -> (String?, Bool, Int32?) in
            let client = try RawClient(port: server.port)
            client.send("GET /v1/events HTTP/1.0\r\n\(Self.auth)\r\n")
            _ = client.read(until: "\r\n\r\n")
            server.process.terminate()
            let stream = client.read(until: "reconnect with Last-Event-ID.\"}\n\n")
            let closed = client.isClosedByPeer()
            return (stream, closed, server.stop())
        }
        #expect(
            stream.flatMap { ControlEventTests.data(of: "server_stopping", in: $0) }?["type"] as? String
                == "server_stopping")
        #expect(closed)
        #expect(status == 0)
    }
}
