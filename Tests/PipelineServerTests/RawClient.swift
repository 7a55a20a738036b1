import Foundation

/// A plain blocking TCP client that sends exact bytes and reads raw responses, so tests see
/// precisely what goes over the wire (split writes, pipelining, malformed input).
final class RawClient: @unchecked Sendable {
    let socket: Int32
    private var buffer: [UInt8] = []

    /// `source` binds the client to another loopback address (`127.0.0.2`): another client.
    init(port: Int, receiveTimeout: Int = 5, source: String? = nil) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            _ = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads more bytes; false on EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    /// Reads one response (head plus a Content-Length or chunked body); nil if the connection
    /// closed or timed out first.
    func readResponse(toHEAD: Bool = false) -> HTTPReply? {
        while true {
            if let reply = HTTPReply.parse(&buffer, toHEAD: toHEAD) { return reply }
            if !fill() { return nil }
        }
    }

    /// Reads until `text` appears in the received bytes (for streams); returns everything so far.
    /// Only newly received bytes are searched, so long streams stay linear.
    func read(until text: String) -> String? {
        let needle = Array(text.utf8)
        var searchFrom = 0
        while true {
            if buffer[searchFrom...].firstRange(of: needle) != nil { return String(decoding: buffer, as: UTF8.self) }
            searchFrom = max(0, buffer.count - needle.count)
            if !fill() { return nil }
        }
    }

    /// Bytes received and not yet read as a response.
    var unreadCount: Int { buffer.count }

    /// Keeps reading until the server closes the connection (EOF or reset) and returns how long
    /// that took; nil if the receive timeout passed first. Tests use it to tell "closed at once"
    /// from "closed by some timeout".
    func secondsUntilClosed() -> Double? {
        let start = Date()
        while fill() {}
        let closed = recv(socket, nil, 0, Int32(MSG_DONTWAIT)) == 0 || errno == ECONNRESET
        return closed ? Date().timeIntervalSince(start) : nil
    }

    /// True when the server closed the connection (EOF) within the receive timeout.
    func isClosedByPeer() -> Bool {
        while fill() {}
        var probe: UInt8 = 0
        return recv(socket, &probe, 1, Int32(MSG_DONTWAIT)) == 0
    }
}

/// A parsed response as the tests inspect it.
struct HTTPReply {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// Removes one complete response from the front of `buffer`; interim 1xx responses are
    /// returned on their own.
    static func parse(_ buffer: inout [UInt8], toHEAD: Bool = false) -> HTTPReply? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = buffer.firstRange(of: separator) else { return nil }
        let headText = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = Int(statusLine[1]) ?? 0
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var reply = HTTPReply(status: status, headers: headers, body: [])
        var index = headEnd.upperBound
        if let length = reply.header("Content-Length").flatMap(Int.init), !toHEAD, status >= 200, status != 204,
            status != 304
        {
            guard buffer.count >= index + length else { return nil }
            reply.body = Array(buffer[index..<index + length])
            index += length
        } else if reply.header("Transfer-Encoding")?.lowercased() == "chunked" {
            return nil  // streams are read with read(until:)
        }
        buffer.removeFirst(index)
        return reply
    }
}
