import Testing

/// HTTP/1.1 behaviour of the server over an in-memory transport.
struct ProtocolTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try InProcessServer()
        let client = server.connect()
        var statuses: [Int] = []
        for _ in 0..<3 {
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            statuses.append(client.readResponse()?.status ?? 0)
        }
        #expect(statuses == [200, 200, 200])
        #expect(!client.isClosing)
    }

    @Test func pipelinedRequestsInOneWriteAreAnsweredInOrder() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send(
            "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        #expect((0..<3).map { _ in client.readResponse()?.status ?? 0 } == [200, 404, 200])
    }

    /// Response heads are serialised into one buffer the server reuses; a head still held by a
    /// write (as one queued behind a slow reader is) must not be overwritten by the next.
    @Test func aHeldResponseHeadIsNotOverwrittenByTheNext() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\n")
        let heads = client.writtenHeads.map { String(decoding: $0, as: UTF8.self) }
        #expect(heads.count == 2)
        #expect(heads.first?.hasPrefix("HTTP/1.1 200 OK\r\n") == true)
        #expect(heads.last?.hasPrefix("HTTP/1.1 404 Not Found\r\n") == true)
        #expect(heads.first?.hasSuffix("\r\n\r\n") == true)
    }

    @Test func requestDrippedOneByteAtATimeIsServed() throws {
        let server = try InProcessServer()
        let client = server.connect()
        let bytes = Array("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        for byte in bytes.dropLast() { client.send([byte]) }
        #expect(client.unreadCount == 0, "nothing is answered before the head is complete")
        client.send([bytes.last!])
        #expect(client.readResponse()?.status == 200)
    }

    @Test func responsesCarryDateLengthAndType() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let reply = try #require(client.readResponse())
        #expect(reply.header("Date")?.hasSuffix(" GMT") == true)
        #expect(reply.header("Content-Length") == "\(reply.body.count)")
        #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
        #expect(reply.text.contains("Welcome to the pipeline API."))
    }

    @Test func headReturnsTheHeadersOfGetWithoutBody() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let get = client.readResponse()
        client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = client.readResponse(toHEAD: true)
        #expect(head?.status == 200)
        #expect(head?.header("Content-Length") == get?.header("Content-Length"))
        #expect(head?.body.isEmpty == true)
        #expect(client.readResponse()?.status == 200, "no stray body bytes between the two")
    }

    @Test func unknownPathIs404ProblemAndWrongMethodIs405WithAllow() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        let missing = client.readResponse()
        client.send("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        let wrong = client.readResponse()
        #expect(missing?.status == 404)
        #expect(missing?.header("Content-Type") == "application/problem+json")
        #expect(missing?.json?["status"] as? Int == 404)
        #expect(wrong?.status == 405)
        #expect(wrong?.header("Allow") == "GET, HEAD")
    }

    @Test func connectionCloseIsHonouredAndLaterBytesIgnored() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let reply = client.readResponse()
        #expect(reply?.header("Connection") == "close")
        #expect(client.readResponse() == nil)
        #expect(client.state == .closedGracefully)
    }

    @Test func aClientThatEndsItsSideStillGetsTheAnswerThenTheClose() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        client.endInput()
        #expect(client.readResponse()?.status == 200)
        #expect(client.state == .closedGracefully)
    }

    @Test func aRequestCutOffByEOFIsA400ThenTheClose() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n{")
        client.endInput()
        #expect(client.readResponse()?.status == 400)
        #expect(client.state == .closedGracefully)
    }
}

/// An HTTP/1.0 client assumes the server closes after each response unless the response says
/// `Connection: keep-alive`; the server keeps such connections, so it must say so.
struct HTTP10KeepAliveTests {
    @Test func keepAliveIsAnnouncedAndTheConnectionServesTheNextRequest() throws {
        let server = try InProcessServer()
        let client = server.connect()
        let request = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        client.send(request)
        let first = client.readResponse()
        client.send(request)
        let second = client.readResponse()
        #expect(first?.status == 200)
        #expect(first?.header("Connection")?.lowercased() == "keep-alive")
        #expect(second?.status == 200)
        #expect(second?.header("Connection")?.lowercased() == "keep-alive")
        #expect(!client.isClosing)
    }

    @Test func withoutKeepAliveAnHTTP10ResponseSaysCloseAndCloses() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.0\r\n\r\n")
        let reply = client.readResponse()
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection")?.lowercased() == "close")
        #expect(client.state == .closedGracefully)
    }

    @Test func anHTTP11ResponseOnAKeptConnectionHasNoConnectionField() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        let reply = client.readResponse()
        #expect(reply?.status == 200)
        #expect(reply?.header("Connection") == nil)
    }
}
