import Foundation

/// A small blocking HTTP/1.1 client over one keep-alive socket, authenticated with Basic
/// credentials. Any failure to get a whole response (the server was killed, a timeout) throws:
/// for the crash test that means "not acknowledged". Use it from a thread of its own.
final class HTTPClient: @unchecked Sendable {
    let socket: Int32
    let port: Int
    private let user: String
    private let password: String
    private let authorization: String
    private var buffer: [UInt8] = []

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
        /// The ETag as a number that grows with every write (`"3a"` → 58). The server writes its
        /// version in hexadecimal; read so, decimal tags keep their order too.
        var version: Int? {
            header("ETag").flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")), radix: 16) }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(port: Int, user: String, password: String, receiveTimeout: Int = 10) throws {
        self.port = port
        self.user = user
        self.password = password
        authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 {
            close(socket)
            throw Failure(description: "connecting to port \(port) failed: errno \(errno)")
        }
    }

    deinit { close(socket) }

    /// Another connection to the same server.
    func fresh(receiveTimeout: Int = 10) throws -> HTTPClient {
        try HTTPClient(port: port, user: user, password: password, receiveTimeout: receiveTimeout)
    }

    /// Sends one request and reads its response.
    @discardableResult
    func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:]) throws
        -> Reply
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(authorization)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        } else if method == "POST" || method == "PUT" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readReply(method: method)
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> Reply {
        try request("GET", path, headers: headers)
    }
    func post(_ path: String, json: String? = nil) throws -> Reply {
        try request("POST", path, body: json.map { Array($0.utf8) })
    }
    func put(_ path: String, json: String) throws -> Reply { try request("PUT", path, body: Array(json.utf8)) }
    func delete(_ path: String) throws -> Reply { try request("DELETE", path) }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            sent += count
        }
    }

    /// Reads more bytes; throws on EOF, error or timeout.
    func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else {
            throw Failure(description: count == 0 ? "connection closed" : "recv failed: errno \(errno)")
        }
        buffer += chunk[0..<count]
    }

    private func readReply(method: String) throws -> Reply {
        while true {
            if let reply = try parse(noBody: method == "HEAD") { return reply }
            try fill()
        }
    }

    /// Takes one complete Content-Length response off the front of the buffer.
    private func parse(noBody: Bool) throws -> Reply? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = buffer.firstRange(of: separator) else { return nil }
        let headText = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line")
        }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var reply = Reply(status: status, headers: headers, body: [])
        var end = headEnd.upperBound
        if !noBody, status >= 200, status != 204, status != 304 {
            guard let length = reply.header("Content-Length").flatMap(Int.init) else {
                throw Failure(description: "a response without Content-Length (streams use EventStream)")
            }
            guard buffer.count >= end + length else { return nil }
            reply.body = Array(buffer[end..<end + length])
            end += length
        }
        buffer.removeFirst(end)
        return reply
    }

    /// Bytes received and not yet taken (for `EventStream`).
    func take() -> [UInt8] {
        defer { buffer.removeAll() }
        return buffer
    }

    /// Sends a request whose answer is a stream; returns its head, the rest stays buffered.
    func openStream(_ path: String, headers: [String: String] = [:]) throws -> Reply {
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(authorization)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try send(Array((head + "\r\n").utf8))
        let separator: [UInt8] = [13, 10, 13, 10]
        while buffer.firstRange(of: separator) == nil { try fill() }
        let headEnd = buffer.firstRange(of: separator)!
        let headText = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd.upperBound)
        return Reply(status: status, headers: headers, body: [])
    }
}
