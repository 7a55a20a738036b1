import Foundation

/// An event-stream subscriber too slow to keep up, for the tests of what happens when one falls
/// behind (dropped, drained, counted).
enum SlowSubscriber {
    /// Opens `GET /v1/events` with a 4 KiB receive buffer; the test then does not read it.
    static func connect(port: Int) throws -> RawClient {
        let client = try RawClient(port: port)
        var small: Int32 = 4096
        setsockopt(client.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(EventStreamTests.auth)\r\n")
        return client
    }

    /// Triggers a pipeline of 100 parallel stages with long names up to 350 times: about 20 MiB
    /// of events, far more than the kernel's socket buffers absorb, so the server's own bound
    /// (1 MiB per subscriber) is what stops the growth. Stops early once `done` holds (checked
    /// every 10 triggers): a test that reads the dropped subscriber's last frames must start
    /// within the 5 s drain window.
    static func flood(_ api: APIClient, until done: () -> Bool = { false }) {
        let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
        let id =
            api.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"]
            as? String
        for round in 0..<350 {
            if round % 10 == 0, done() { return }
            _ = api.request("POST", "/v1/pipelines/\(id ?? "none")/trigger")
        }
    }

    /// Lets the client read its backlog quickly (a 4 MiB receive buffer).
    static func startReading(_ client: RawClient) {
        var large: Int32 = 4 << 20
        setsockopt(client.socket, SOL_SOCKET, SO_RCVBUF, &large, socklen_t(MemoryLayout<Int32>.size))
    }
}
