import CLibUV

extension Connection {
    /// The client's IP address as text (`127.0.0.1`, `::1`), or nil once the socket has no
    /// peer (closed, reset). Why: per-client limits (event-stream subscribers per address) need
    /// to know who is asking. One `getpeername` per call: ask once per decision, not per request.
    public var peerAddress: String? {
        loop.assertInLoop()
        guard state != .closing, state != .closed else { return nil }
        var address = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        var text = [CChar](repeating: 0, count: 64)  // INET6_ADDRSTRLEN is 46
        let status = unsafe withUnsafeMutablePointer(to: &address) { storage in
            unsafe storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { socket in
                let found = unsafe uv_tcp_getpeername(handle, socket, &length)
                return found != 0 ? found : unsafe uv_ip_name(socket, &text, text.count)
            }
        }
        guard status == 0 else { return nil }
        let end = text.firstIndex(of: 0) ?? text.count
        return String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
