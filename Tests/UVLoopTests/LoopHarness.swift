import Foundation
import UVLoop

/// Runs a `Loop` on its own thread for a test and reports `uv_loop_close`'s status at the end,
/// so every test also proves that it closed each handle it opened.
final class LoopHarness: @unchecked Sendable {
    /// Why the harness could not give the test a running loop, or the loop did not answer.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let loop: Loop
    private let finished = DispatchSemaphore(value: 0)
    private(set) var closeStatus: Int32 = -1

    /// Starts the loop and runs `setup` on it; returns once `setup` has run, rethrows what it
    /// threw (the loop is then shut down), and fails if it has not run within `seconds`.
    init(seconds: Double = 10, setup: @escaping @Sendable (Loop) throws -> Void) throws {
        let loop = try Loop()
        self.loop = loop
        let thread = Thread { [self] in
            loop.run()
            closeStatus = loop.close()
            finished.signal()
        }
        thread.start()
        try run(seconds: seconds) {
            do {
                try setup(loop)
            } catch {
                loop.shutDownWakeup()
                throw error
            }
        }
    }

    /// Runs `body` on the loop thread and hands back its result; fails if the loop has not run it
    /// within `seconds`.
    func run<T>(seconds: Double = 10, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = Box<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            outcome.value = Result { try body() }
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success, let result = outcome.value else {
            throw Failure(description: "the loop did not run the work within \(seconds) s")
        }
        return try result.get()
    }

    /// Waits (off the cooperative pool) until `uv_run` returned and the loop was closed.
    func waitUntilFinished(seconds: Double = 10) -> Bool {
        finished.wait(timeout: .now() + seconds) == .success
    }
}

/// A blocking TCP client for tests, used from its own thread only.
struct BlockingClient {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
    }

    /// Reads until `count` bytes arrived, the peer closed, or the 5 s receive timeout passed.
    func receive(atLeast count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            result += chunk[0..<n]
        }
        return result
    }

    /// Reads until the peer closes (or the receive timeout passes).
    func receiveUntilClosed() -> [UInt8] { receive(atLeast: Int.max) }

    /// Discards input until the peer closes (EOF or reset) and returns how long that took; nil
    /// if the 5 s receive timeout passed first.
    func secondsUntilClosed() -> Double? {
        let start = Date()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n > 0 { continue }
            if n == 0 || errno == ECONNRESET { return Date().timeIntervalSince(start) }
            return nil
        }
    }

    func close() { Glibc.close(socket) }
}
