import Foundation

/// Many event-stream subscribers from one test, for the fan-out attack tests: opened at once,
/// then either drained on a thread of their own (`startDraining`) or left unread (stalled).
final class SubscriberSwarm: @unchecked Sendable {
    let clients: [RawClient]
    private let lock = NSLock()
    private var received = 0
    private var lastByteAt = Date()
    private var stopped = false
    private var drainer: Thread?

    /// Opens `count` subscribers and waits until each got its response head; `receiveBuffer`
    /// shrinks the kernel's buffer (a stalled subscriber then holds its backlog in the server).
    init(port: Int, count: Int, receiveBuffer: Int32? = nil) throws {
        var clients: [RawClient] = []
        for _ in 0..<count {
            let client = try RawClient(port: port)
            if var size = receiveBuffer {
                setsockopt(client.socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(EventStreamTests.auth)\r\n")
            clients.append(client)
        }
        self.clients = clients
    }

    /// The status of each subscriber's response (reads its head; nil when none came).
    func statuses() -> [Int?] {
        clients.map { client in
            guard let head = client.read(until: "\r\n\r\n") else { return nil }
            return Int(head.split(separator: " ").dropFirst().first ?? "")
        }
    }

    /// Reads every subscriber on one thread (poll + non-blocking recv), counting bytes.
    func startDraining() {
        let thread = Thread { [self] in drain() }
        drainer = thread
        thread.start()
    }

    /// Bytes received by the drainer so far.
    var receivedBytes: Int { lock.withLock { received } }

    /// Waits until bytes arrived after `since` and then none for `quiet` seconds (or `limit`
    /// passed); the seconds waited.
    func waitUntilQuiet(since: Date, quiet: Double = 0.3, limit: Double) -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            let last = lock.withLock { lastByteAt }
            if last > since, Date().timeIntervalSince(last) > quiet { break }
            usleep(20_000)
        }
        return Date().timeIntervalSince(start)
    }

    func stop() {
        lock.withLock { stopped = true }
        while drainer?.isFinished == false { usleep(5_000) }
    }

    private func drain() {
        var fds = clients.map { pollfd(fd: $0.socket, events: Int16(POLLIN), revents: 0) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !lock.withLock({ stopped }) {
            guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
            var got = 0
            for index in fds.indices where fds[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes {
                    recv(fds[index].fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
                }
                if count > 0 { got += count } else if count == 0 { fds[index].fd = -1 }
            }
            if got > 0 {
                lock.withLock {
                    received += got
                    lastByteAt = Date()
                }
            }
        }
    }
}

/// Probes `GET /healthz` on its own keep-alive connection and thread, recording each latency.
final class HealthProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var failures = 0
    private var stopped = false
    private var thread: Thread?

    init(port: Int, every interval: Double = 0.01) throws {
        let first = try APIClient(port: port)
        let thread = Thread { [self] in
            var client = first
            while !lock.withLock({ stopped }) {
                let start = Date()
                let status = client.request("GET", "/healthz")?.status
                // A probe that timed out leaves its answer in flight: start a fresh connection.
                if status != 200, let fresh = try? APIClient(port: port) { client = fresh }
                let seconds = Date().timeIntervalSince(start)
                lock.withLock { if status == 200 { latencies.append(seconds) } else { failures += 1 } }
                usleep(useconds_t(interval * 1e6))
            }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops probing; returns the latencies in milliseconds, sorted, and the failed probes.
    func stop() -> (milliseconds: [Double], failures: Int) {
        lock.withLock { stopped = true }
        while thread?.isFinished == false { usleep(5_000) }
        return lock.withLock { (latencies.map { $0 * 1000 }.sorted(), failures) }
    }

    /// The `fraction` percentile of sorted values (0 when there are none).
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

/// The server's resident memory in MiB, from /proc.
func residentMiB(of pid: Int32) -> Double {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    let kiB = Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    return kiB / 1024
}
