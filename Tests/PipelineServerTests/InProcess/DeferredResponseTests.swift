import HTTP1
import Testing

@testable import PipelineServer

/// Answers released later than their requests were read (as a write answered after its commit
/// will be) still leave in request order, and bound how much a connection reads ahead.
struct DeferredResponseTests {
    /// A server whose `/later` requests are held until the test answers them.
    final class Held {
        var responders: [Responder] = []
        let server: InProcessServer

        init() throws {
            server = try InProcessServer()
            server.server.interceptor = { [unowned self] request, responder in
                guard request.head.target.hasPrefix("/later") else { return self.server.server.dispatch(request) }
                responders.append(responder)
                return nil
            }
        }

        func answer(_ index: Int, _ text: String) {
            responders[index].send(.response(Response(status: .ok, contentType: "text/plain", body: Array(text.utf8))))
        }
    }

    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n" }

    @Test func pipelinedAnswersLeaveInRequestOrderWhateverOrderTheyAreReadyIn() throws {
        let held = try Held()
        let client = held.server.connect()
        client.send(Self.get("/later/1") + Self.get("/healthz") + Self.get("/later/3"))
        #expect(client.unreadCount == 0, "the first answer holds back the ones behind it")
        held.answer(1, "three")
        #expect(client.unreadCount == 0)
        held.answer(0, "one")
        #expect(client.readResponse()?.text == "one")
        #expect(client.readResponse()?.status == 200)
        #expect(client.readResponse()?.text == "three")
    }

    @Test func anAnswerForAClosedConnectionIsDropped() throws {
        let held = try Held()
        let client = held.server.connect()
        client.send(Self.get("/later"))
        client.close()
        held.answer(0, "late")
        #expect(client.unreadCount == 0)
    }

    @Test func waitingForAnAnswerIsNotIdling() throws {
        let held = try Held()
        let client = held.server.connect()
        client.send(Self.get("/later"))
        held.server.advance(milliseconds: 120_000)
        #expect(!client.isClosing)
        held.answer(0, "slow")
        #expect(client.readResponse()?.text == "slow")
    }

    @Test func readingStopsAtTheInFlightBoundAndResumesWhenAnAnswerLeaves() throws {
        let held = try Held()
        let client = held.server.connect()
        let bound = HTTPConnection.Machine.maxInFlight
        client.send(String(repeating: Self.get("/later"), count: bound + 2))
        #expect(held.responders.count == bound, "no more requests are read while \(bound) wait")
        held.answer(0, "first")
        #expect(held.responders.count == bound + 1, "the kept bytes are read again")
        #expect(client.readResponse()?.text == "first")
    }

    @Test func aTimeoutBehindAHeldAnswerIsSentAfterIt() throws {
        let held = try Held()
        let client = held.server.connect()
        client.send(Self.get("/later") + "GET /healthz HTTP/1.1\r\n")
        held.server.advance(milliseconds: 10_000)
        #expect(client.unreadCount == 0, "the 408 waits for the answer before it")
        held.answer(0, "done")
        #expect(client.readResponse()?.text == "done")
        #expect(client.readResponse()?.status == 408)
        #expect(client.state == .closedGracefully)
    }
}

/// `Expect: 100-continue`: decided from the head alone.
struct ExpectContinueTests {
    static let auth = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"

    @Test func anAcceptableHeadGets100ContinueThenTheAnswer() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\n\(Self.auth)Content-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(client.readResponse()?.status == 100)
        client.send("{}")
        #expect(client.readResponse()?.status == 422)
        #expect(!client.isClosing)
    }

    @Test func aRefusedHeadIsAnsweredWithoutContinueAndTheConnectionCloses() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        let reply = client.readResponse()
        #expect(reply?.status == 401)
        #expect(reply?.header("Connection") == "close")
        #expect(client.state == .closedGracefully)
    }
}
