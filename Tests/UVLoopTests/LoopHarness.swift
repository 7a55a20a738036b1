import Foundation
import UVLoop

/// Runs a `Loop` on its own thread for a test and reports `uv_loop_close`'s status at the end,
/// so every test also proves that it closed each handle it opened.
final class LoopHarness: @unchecked Sendable {
    let loop: Loop
    private let finished = DispatchSemaphore(value: 0)
    private(set) var closeStatus: Int32 = -1

    init(setup: @escaping @Sendable (Loop) throws -> Void) throws {
        let loop = try Loop()
        self.loop = loop
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            loop.execute { try? setup(loop) }
            started.signal()
            loop.run()
            closeStatus = loop.close()
            finished.signal()
        }
        thread.start()
        started.wait()
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

    func close() { Glibc.close(socket) }
}
