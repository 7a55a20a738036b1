import Testing

@testable import PipelineServer

/// One connection's pipelined requests are served in batches of
/// `requestsPerTurn`, and other connections are served between the batches.
struct FairnessTests {
    static let healthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"

    @Test func aThousandPipelinedRequestsAreServedInBatchesWithOthersInBetween() throws {
        let server = try InProcessServer()
        let greedy = server.connect()
        let other = server.connect()
        let batch = HTTPConnection.requestsPerTurn
        greedy.send(String(repeating: Self.healthz, count: 1_000))
        var answered = Self.drain(greedy)
        #expect(answered == batch, "one turn serves one batch")
        other.send(Self.healthz)
        #expect(other.readResponse()?.status == 200, "another connection is served before the next batch")
        var turns = 1
        while answered < 1_000, turns < 100 {
            server.nextTurn()
            let served = Self.drain(greedy)
            #expect(served <= batch)
            answered += served
            turns += 1
        }
        print("1,000 pipelined requests: served in \(turns) turns of at most \(batch)")
        #expect(answered == 1_000)
        #expect(turns == (1_000 + batch - 1) / batch)
        #expect(!greedy.isClosing)
    }

    @Test func aConnectionClosedWhileWaitingForItsTurnIsNotResumed() throws {
        let server = try InProcessServer()
        let greedy = server.connect()
        greedy.send(String(repeating: Self.healthz, count: 100))
        greedy.close()
        server.nextTurn()
        #expect(greedy.isClosed)
    }

    /// Reads every complete response written so far; returns how many.
    static func drain(_ client: MemoryTransport) -> Int {
        var count = 0
        while client.readResponse()?.status == 200 { count += 1 }
        return count
    }
}
