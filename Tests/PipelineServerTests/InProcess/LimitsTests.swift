import Testing

/// Every documented bound answers with its status and closes, and every timeout fires on a
/// manual clock: nothing here sleeps.
struct LimitsTests {
    /// The answer's status, and whether the connection was closed (gracefully) right after it.
    static func status(of request: String) throws -> (Int?, Bool) {
        let server = try InProcessServer()
        let client = server.connect()
        client.send(request)
        return (client.readResponse()?.status, client.state == .closedGracefully)
    }

    @Test(arguments: [
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "b", count: 17000))\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: t\r\n\((0..<101).map { "X-\($0): v\r\n" }.joined())\r\n", 431),
        ("POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\n", 413),
        ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: t\r\nExpect: something\r\n\r\n", 417),
    ])
    func oversizedOrMalformedPartsGetTheirStatusAndTheConnectionCloses(request: String, status: Int) throws {
        #expect(try Self.status(of: request) == (status, true))
    }

    @Test func aFramingErrorBehindAPipelinedRequestIsAnsweredAfterIt() throws {
        let server = try InProcessServer()
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/2.0\r\nHost: t\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        #expect(client.readResponse()?.status == 505)
        #expect(client.state == .closedGracefully)
    }

    @Test func slowHeaderIsCutOffAt408WithoutDelayingOthers() throws {
        let server = try InProcessServer { $0.headerTimeoutMilliseconds = 500 }
        let slow = server.connect()
        slow.send("GET / HTTP/1.1\r\nHost: t\r\n")
        server.advance(milliseconds: 300)
        let fast = server.connect()
        fast.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(fast.readResponse()?.status == 200)
        slow.send("X-More: 1\r\n")  // more bytes of the same head do not restart its timeout
        server.advance(milliseconds: 199)
        #expect(slow.unreadCount == 0)
        server.advance(milliseconds: 1)
        #expect(slow.readResponse()?.status == 408)
        #expect(slow.state == .closedGracefully)
        #expect(!fast.isClosing)
    }

    @Test func aSilentNewConnectionIsClosedAfterTheHeadTimeoutWithoutAnAnswer() throws {
        let server = try InProcessServer { $0.headerTimeoutMilliseconds = 500 }
        let client = server.connect()
        server.advance(milliseconds: 499)
        #expect(!client.isClosing)
        server.advance(milliseconds: 1)
        #expect(client.state == .closedAbruptly)
        #expect(client.unreadCount == 0)
    }

    @Test func partialHeadBehindAPipelinedRequestGetsTheHeadTimeout() throws {
        let server = try InProcessServer {
            $0.headerTimeoutMilliseconds = 500
            $0.idleTimeoutMilliseconds = 60_000
        }
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\n")
        #expect(client.readResponse()?.status == 200)
        server.advance(milliseconds: 500)
        #expect(client.readResponse()?.status == 408)
    }

    @Test func idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws {
        let server = try InProcessServer { $0.idleTimeoutMilliseconds = 500 }
        let client = server.connect()
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        server.advance(milliseconds: 499)
        #expect(!client.isClosing)
        server.advance(milliseconds: 1)
        #expect(client.isClosed)
    }

    /// One byte every 1.5 s kept a connection past a 2 s body timeout.
    @Test func aDripFedBodyIsCutOffAtTheTotalBodyTimeout() throws {
        let server = try InProcessServer {
            $0.bodyTimeoutMilliseconds = 2_000
            $0.minBodyRate = 0
        }
        let client = server.connect()
        client.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 10\r\n\r\n{"
        )
        server.advance(milliseconds: 1_500)
        client.send("\"")
        server.advance(milliseconds: 499)
        #expect(client.unreadCount == 0)
        server.advance(milliseconds: 1)
        #expect(client.readResponse()?.status == 408, "the drip did not restart the body timeout")
        #expect(client.state == .closedGracefully)
    }

    /// A connection cut off mid-body is freed: its half-read request holds the transport, and
    /// the transport holds the connection.
    @Test func aConnectionCutOffMidBodyIsFreed() throws {
        let server = try InProcessServer {
            $0.bodyTimeoutMilliseconds = 2_000
            $0.minBodyRate = 0
        }
        weak var released: MemoryTransport?
        do {
            let transport = server.connect(kept: false)
            released = transport
            transport.send(
                "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n"
                    + "Content-Length: 10\r\n\r\n{"
            )
            server.advance(milliseconds: 2_000)
            #expect(transport.isClosed)
        }
        #expect(released == nil)
    }

    @Test func aBodyBelowTheMinimumRateIsCutOffAfterTheGrace() throws {
        let server = try InProcessServer {
            $0.bodyTimeoutMilliseconds = 30_000
            $0.minBodyRate = 1024
            $0.bodyRateGraceMilliseconds = 3_000
        }
        let client = server.connect()
        client.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 100000\r\n\r\n"
        )
        client.send(String(repeating: " ", count: 2048))  // covers 2 s of the floor past the grace
        server.advance(milliseconds: 4_999)
        #expect(client.unreadCount == 0)
        server.advance(milliseconds: 1)
        #expect(client.readResponse()?.status == 408)
        #expect(client.state == .closedGracefully)
    }

    @Test func aClientThatDoesNotReadItsResponsesIsClosedAfterTheWriteTimeout() throws {
        let server = try InProcessServer {
            $0.writeTimeoutMilliseconds = 30_000
            $0.idleTimeoutMilliseconds = 60_000
        }
        let client = server.connect()
        client.holdsOutput = true
        client.send("GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n")
        server.advance(milliseconds: 20_000)
        client.clientReads(1_000)  // progress restarts the write timeout
        server.advance(milliseconds: 29_999)
        #expect(!client.isClosing)
        server.advance(milliseconds: 1)
        #expect(client.state == .closedAbruptly)
    }

    @Test func aClientThatReadsItsOutputIsNotCutOffByTheWriteTimeout() throws {
        let server = try InProcessServer {
            $0.writeTimeoutMilliseconds = 1_000
            $0.idleTimeoutMilliseconds = 60_000
        }
        let client = server.connect()
        client.holdsOutput = true
        client.send("GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n")
        server.advance(milliseconds: 900)
        client.clientReads()
        server.advance(milliseconds: 10_000)
        #expect(!client.isClosing)
        #expect(client.readResponse()?.status == 200)
    }

    @Test func theWriteTimeoutBoundsTheFlushOfALastResponse() throws {
        let server = try InProcessServer { $0.writeTimeoutMilliseconds = 1_000 }
        let client = server.connect()
        client.holdsOutput = true
        client.send("GET /openapi.json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(client.state == .flushing)
        server.advance(milliseconds: 1_000)
        #expect(client.state == .closedAbruptly)
    }
}
