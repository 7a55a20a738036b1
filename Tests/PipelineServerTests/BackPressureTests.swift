import Foundation
import TestSupport
import Testing

/// Back-pressure: the server stops reading a connection above 256 KiB of queued output and
/// resumes below 64 KiB, so a client that falls behind gets every answer once it reads again.
struct BackPressureTests {
    @Test func aClientThatFallsBehindGetsEveryPipelinedResponse() async throws {
        let server = try ServerHarness()
        let (bodies, expected) = try await onThread { () -> ([Int?], Int?) in
            let client = try RawClient(port: server.port)
            // 200 requests in one write (8 KiB, one read for the server) for the 46 KB OpenAPI
            // document: about 9 MiB of answers, far more than the kernel's socket buffers hold,
            // so the server passes its high watermark while handling that one read and must
            // resume the rest from what it kept once the client has read enough.
            let count = 200
            client.send(String(repeating: "GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n", count: count))
            var answers: [Int?] = []
            while answers.count < count, let reply = client.readResponse() {  // stops at the first missing one
                answers.append(reply.status == 200 ? reply.body.count : -1)
            }
            let single = try APIClient(port: server.port).request("GET", "/openapi.json")?.body.count
            return (answers, single)
        }
        let size = try #require(expected)
        #expect(size > 40_000)
        #expect(bodies.count == 200)
        #expect(bodies.allSatisfy { $0 == size })
        _ = server.stop()
    }
}
