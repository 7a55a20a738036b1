import Foundation
import Logging
import TestSupport
import UVLoop

@testable import PipelineServer

/// A `Server` without a socket: connections are `MemoryTransport`s, time is a `ManualClock` the
/// test moves, and the registry's executor is a loop this test's thread claims (`runOnce`), so
/// handlers enter the registry with `assumeIsolated` exactly as in the real server. Everything
/// runs synchronously on the test's thread: use it from synchronous tests only (an `async` test
/// may resume on another thread, which the executor would rightly refuse).
final class InProcessServer {
    final class ManualClock: MonotonicClock {
        var now: UInt64 = 1_000
    }

    let loop: Loop
    let clock = ManualClock()
    let server: Server
    /// Kept alive for the server's whole life: a connection refers to its transport unowned.
    private var transports: [MemoryTransport] = []

    /// `logger` is silent unless a test wants to read what the server logs.
    init(
        logger: Logger = Logger(label: "in-process") { _ in SwiftLogNoOpLogHandler() },
        _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        loop = try Loop()
        loop.runOnce()  // this thread is now the loop thread
        var configuration = ServerConfiguration()
        configuration.allowedHosts = [testHost]
        configure(&configuration)
        server = Server(loop: loop, configuration: configuration, logger: logger, clock: clock)
    }

    deinit {
        loop.shutDownWakeup()
        loop.run()
        let status = loop.close()
        precondition(status == 0, "the in-process server left a libuv handle open")
    }

    /// A new client connection, from `address` when given (the per-address limits count it).
    func connect(from address: String? = nil, kept: Bool = true) -> MemoryTransport {
        let transport = MemoryTransport()
        transport.peer = address.flatMap(PeerAddress.init)
        transport.http = server.open(transport)
        if kept { transports.append(transport) }  // not kept: the caller alone holds it
        return transport
    }

    /// A keep-alive JSON client on a new connection.
    func api() -> MemoryAPIClient { MemoryAPIClient(connect()) }

    /// The server's next loop turn: connections that used up their turn are served again, as
    /// its next-turn hook would.
    func nextTurn() {
        server.resumeYielded()
    }

    /// Moves the clock and runs the server's deadline sweep, as its timer would.
    func advance(milliseconds: UInt64) {
        clock.now += milliseconds
        server.sweep()
    }
}

/// `APIClient` over a `MemoryTransport`: the same requests, answered synchronously.
final class MemoryAPIClient {
    let raw: MemoryTransport
    var authorization: String? = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    init(_ raw: MemoryTransport) { self.raw = raw }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) -> HTTPReply? {
        raw.send(requestBytes(method, path, body: body, headers: headers, authorization: authorization))
        return raw.readResponse(toHEAD: method == "HEAD")
    }
}

extension MemoryAPIClient: RequestSending {}

/// Runs `work` at once on this thread: what `onThread` is for socket tests, for in-process ones,
/// which must stay on the thread that claimed the loop.
func synchronously<T>(_ work: () throws -> T) rethrows -> T { try work() }
