import Testing

@testable import PipelineServer

/// A request whose head fails authentication is answered before any of
/// its body is read, so an unauthenticated client cannot make the server hold a body.
struct HeadRefusalTests {
    static let wrongPassword = "Authorization: Basic YWRtaW46d3Jvbmc=\r\n"

    @Test func anUnauthenticatedLargeBodyIsRefusedBeforeItsFirstByteAndTheConnectionCloses() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n")
        let reply = client.readResponse()
        #expect(reply?.status == 401, "answered with no body byte sent")
        #expect(reply?.header("Connection") == "close")
        #expect(client.state == .closedGracefully)
    }

    @Test func anUnauthenticatedChunkedBodyIsRefusedAndTheConnectionCloses() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(client.readResponse()?.status == 401)
        #expect(client.state == .closedGracefully)
    }

    @Test func aSmallBodyBehindAWrongPasswordIsDroppedAndTheConnectionServesTheNextRequest() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\n\(Self.wrongPassword)Content-Length: 2\r\n\r\n")
        #expect(client.unreadCount == 0, "the refusal waits for the small body, which is then dropped")
        client.send("{}GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        let refused = client.readResponse()
        #expect(refused?.status == 401)
        #expect(refused?.header("Connection") == nil)
        #expect(client.readResponse()?.status == 200)
        #expect(!client.isClosing)
    }

    @Test func aBodyPastTheDiscardLimitIsNotReadAfterARefusal() throws {
        let server = try InProcessServer()
        let client = server.connect()
        let length = HTTPConnection.discardLimit + 1
        client.send("PUT /v1/pipelines/x HTTP/1.1\r\nHost: t\r\n\(Self.wrongPassword)Content-Length: \(length)\r\n\r\n")
        #expect(client.readResponse()?.status == 401)
        #expect(client.state == .closedGracefully)
    }

    @Test func expectContinueIsNotAnsweredForAHeadThatFailsAuthentication() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\n\(Self.wrongPassword)Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"
        )
        let reply = client.readResponse()
        #expect(reply?.status == 401, "no 100 Continue first")
        #expect(client.state == .closedGracefully)
    }
}
