import PipelineClient
import Testing

/// The `text/event-stream` parser gives the same events however the bytes are split.
struct ServerSentEventParserTests {
    static let stream = Array(
        """
        : welcome\r
        id: 1\r
        event: run_started\r
        data: {"seq": 1, "type": "run_started"}\r
        \r
        id: 2
        event: stage_started
        data: {"seq": 2,
        data: "type": "stage_started"}

        retry: 2500
        data:no-space\r\rid: 3\nevent: run_failed\ndata: {"seq": 3}\n\nid: 4\ndata: {"seq": 4, "partial
        """.utf8)

    static let expected = [
        ServerSentEvent(id: "1", type: "run_started", data: #"{"seq": 1, "type": "run_started"}"#),
        ServerSentEvent(id: "2", type: "stage_started", data: "{\"seq\": 2,\n\"type\": \"stage_started\"}"),
        ServerSentEvent(id: "2", type: "message", data: "no-space"),
        ServerSentEvent(id: "3", type: "run_failed", data: #"{"seq": 3}"#),
    ]

    @Test func parsesAWholeStream() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Self.stream) == Self.expected)
        #expect(parser.retryMilliseconds == 2500)
    }

    @Test func parsesTheSameEventsWhenSplitAtEveryOffset() {
        for split in 0...Self.stream.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(Self.stream[..<split]) + parser.feed(Self.stream[split...])
            #expect(events == Self.expected, "split at \(split)")
        }
    }

    @Test func parsesTheSameEventsFedOneByteAtATime() {
        var parser = ServerSentEventParser()
        let events = Self.stream.flatMap { parser.feed([$0]) }
        #expect(events == Self.expected)
    }

    @Test func aDroppedConnectionDiscardsTheHalfEventButKeepsTheLastID() {
        var parser = ServerSentEventParser()
        _ = parser.feed(Self.stream)
        #expect(parser.lastEventID == "4")  // the id line of the unfinished event was read
        parser.connectionDropped()
        let events = parser.feed(Array("data: {\"seq\": 5}\n\n".utf8))
        #expect(events == [ServerSentEvent(id: "4", type: "message", data: #"{"seq": 5}"#)])
    }
}
