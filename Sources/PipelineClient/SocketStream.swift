import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams one plain-`http` GET over a blocking socket owned by a thread of its own.
///
/// Why not URLSession for `watch`: on Linux, swift-corelibs-foundation keeps the libdispatch write
/// source it opened while sending a request until the transfer ends, and a connected socket is
/// always writable, so a long-lived event stream spun a core (~85%) while nothing happened. A thread
/// blocked in `recv` costs nothing until bytes arrive. `https` streams still go through URLSession.
enum SocketStream {
    /// Sends `request` (a GET without a body) and answers the response's parts as they arrive.
    /// - Parameter idleTimeout: seconds connecting, or waiting for any byte, may take.
    static func open(_ request: URLRequest, idleTimeout: Double) -> AsyncThrowingStream<StreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StreamPart, any Error>.makeStream()
        let url = request.url!
        let socket = ConnectedSocket()
        continuation.onTermination = { _ in socket.shutDown() }
        let thread = Thread {
            do throws(ClientError) {
                try socket.connect(host: url.host ?? "", port: url.port ?? 80, timeout: idleTimeout, url: url)
                try socket.send(Array(Self.head(of: request, url: url).utf8), url: url)
                var reader = ResponseReader()
                while !reader.isComplete, let bytes = try socket.receive(url: url, timeout: idleTimeout) {
                    for part in try Self.framed(reader.feed(bytes), url: url) { continuation.yield(part) }
                }
                if !reader.isComplete { try Self.framed(reader.finish(), url: url) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            socket.close()
        }
        thread.start()
        return stream
    }

    /// The request line and header fields, ending with the empty line.
    static func head(of request: URLRequest, url: URL) -> String {
        var target =
            url.path.isEmpty ? "/" : URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        if let query = url.query(percentEncoded: true) { target += "?" + query }
        let host = url.port.map { "\(url.host ?? ""):\($0)" } ?? (url.host ?? "")
        var text = "\(request.httpMethod ?? "GET") \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        for (name, value) in (request.allHTTPHeaderFields ?? [:]).sorted(by: { $0.key < $1.key }) {
            text += "\(name): \(value)\r\n"
        }
        return text + "\r\n"
    }

    private static func framed<T>(_ work: @autoclosure () throws(ResponseReader.FramingError) -> T, url: URL)
        throws(ClientError) -> T
    {
        do {
            return try work()
        } catch {
            throw ClientError.unexpectedResponse(url: url.absoluteString, reason: error.reason)
        }
    }
}

/// One TCP connection's descriptor. The reading thread owns it and closes it; any other thread may
/// only `shutDown()` it (which wakes a blocked `recv`), under the same lock, so a descriptor number
/// that was closed and reused is never touched.
///
/// The lock is an `NSLock` (a pthread mutex), not `Synchronization.Mutex`: ThreadSanitizer
/// understands pthread locks, not raw futexes, and would otherwise report the guarded
/// `shutdown`/`close` pair as a race. `@unchecked Sendable`: `storedDescriptor` is only touched
/// inside `withDescriptor`.
final class ConnectedSocket: @unchecked Sendable {
    private let lock = NSLock()
    private var storedDescriptor: Int32?
    private let stopped = Atomic<Bool>(false)

    private func withDescriptor<T, Failure: Error>(_ body: (inout Int32?) throws(Failure) -> T) throws(Failure) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&storedDescriptor)
    }

    func connect(host: String, port: Int, timeout: Double, url: URL) throws(ClientError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Self.streamType
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .cannotConnect(url: url.absoluteString, reason: "unknown host")
        }
        defer { freeaddrinfo(list) }
        var reason = "connection refused"
        for address in sequence(first: first, next: { $0.pointee.ai_next }) {
            let candidate = socket(address.pointee.ai_family, Self.streamType, 0)
            guard candidate >= 0 else { continue }
            // On Linux the send timeout also bounds connect(); the receive timeout bounds each recv.
            var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
            setsockopt(candidate, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(candidate, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(candidate, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                let kept = withDescriptor { stored -> Bool in
                    guard !stopped.load(ordering: .relaxed) else { return false }
                    stored = candidate
                    return true
                }
                if !kept { _ = Glibc.close(candidate) }
                return
            }
            if errno == EINPROGRESS || errno == EAGAIN { reason = "connecting timed out" }
            _ = Glibc.close(candidate)
        }
        if reason == "connecting timed out" {
            throw .timedOut(url: url.absoluteString, seconds: timeout)
        }
        throw .cannotConnect(url: url.absoluteString, reason: reason)
    }

    func send(_ bytes: [UInt8], url: URL) throws(ClientError) {
        guard let fd = withDescriptor({ $0 }) else {
            throw .cannotConnect(url: url.absoluteString, reason: "cancelled")
        }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else {
                throw .cannotConnect(url: url.absoluteString, reason: String(cString: strerror(errno)))
            }
            offset += sent
        }
    }

    /// The next bytes, or `nil` at end of stream (the server closed, or `shutDown()` was called).
    func receive(url: URL, timeout: Double) throws(ClientError) -> [UInt8]? {
        guard let fd = withDescriptor({ $0 }) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 || stopped.load(ordering: .relaxed) { return nil }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut(url: url.absoluteString, seconds: timeout) }
            throw .cannotConnect(url: url.absoluteString, reason: String(cString: strerror(errno)))
        }
    }

    /// Ends the connection from any thread: a blocked `recv` returns at once.
    func shutDown() {
        withDescriptor { stored in
            stopped.store(true, ordering: .relaxed)
            if let fd = stored { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Closes the descriptor; only the owning thread calls this, once.
    func close() {
        withDescriptor { stored in
            if let fd = stored { _ = Glibc.close(fd) }
            stored = nil
        }
    }

    private static let streamType = Int32(SOCK_STREAM.rawValue)
}
