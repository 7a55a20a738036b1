import CLibUV

/// A listening TCP socket that accepts connections up to a cap and hands each to `onAccept`.
///
/// Past `maxConnections` open connections, a new one is accepted and closed at once (and
/// counted), so the process never runs out of descriptors and existing clients are unaffected;
/// the same happens past `maxConnectionsPerAddress` from one client address, so one client cannot
/// take every slot.
/// Ownership: retained while its handle is open, released in the close callback.
/// Thread: loop thread only.
@safe
public final class Listener {
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private let loop: Loop
    private var onAccept: (Connection) -> Void
    private var isClosed = false
    /// The most connections open at once; further ones are refused.
    public let maxConnections: Int
    public private(set) var openConnections = 0
    /// The most connections open at once from one peer address.
    public let maxConnectionsPerAddress: Int
    private var openPerAddress: [PeerAddress: Int] = [:]
    /// Connections closed at accept time because the cap was reached.
    public private(set) var refusedConnections = 0
    /// The bound port (the real one when port 0 was asked for).
    public private(set) var port = 0

    /// Binds and listens. Raises this process's open-file soft limit to its hard limit first,
    /// since every connection is a descriptor.
    public init(
        loop: Loop, host: String, port: Int, backlog: Int32 = 1024, maxConnections: Int,
        maxConnectionsPerAddress: Int = .max, onAccept: @escaping (Connection) -> Void
    ) throws(UVError) {
        loop.assertInLoop()
        _ = cuv_raise_nofile_limit()
        self.loop = loop
        self.onAccept = onAccept
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        unsafe handle = .allocate(capacity: 1)
        unsafe try check(uv_tcp_init(loop.raw, handle), "uv_tcp_init")
        // Ownership: released once, in `onClose`; from here on every failure path closes.
        unsafe handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        do throws(UVError) {
            unsafe try check(cuv_tcp_bind(handle, host, Int32(port)), "bind \(host):\(port)")
            unsafe try check(uv_listen(cuv_tcp_stream(handle), backlog, Listener.onConnection), "uv_listen")
            let bound = unsafe cuv_tcp_local_port(handle)
            try check(bound, "uv_tcp_getsockname")
            self.port = Int(bound)
        } catch {
            close()
            throw error
        }
    }

    /// Stops accepting; open connections are not touched.
    public func close() {
        loop.assertInLoop()
        guard !isClosed else { return }
        isClosed = true
        onAccept = { $0.close() }
        unsafe uv_close(cuv_tcp_handle(handle), Listener.onClose)
    }

    private func acceptOne() {
        guard let connection = try? Connection(loop: loop) else { return }
        guard unsafe uv_accept(cuv_tcp_stream(handle), connection.stream) == 0 else {
            connection.close()
            return
        }
        let address = unsafe PeerAddress.of(connection.handle)
        if isClosed || openConnections >= maxConnections
            || address.map({ openPerAddress[$0, default: 0] >= maxConnectionsPerAddress }) == true
        {
            refusedConnections += 1
            connection.close()
            return
        }
        openConnections += 1
        if let address { openPerAddress[address, default: 0] += 1 }
        connection.peer = address
        connection.listener = self
        unsafe uv_tcp_nodelay(connection.handle, 1)
        onAccept(connection)
    }

    /// A connection it accepted has closed.
    func closed(from address: PeerAddress?) {
        openConnections -= 1
        guard let address else { return }
        if openPerAddress[address, default: 1] <= 1 {
            openPerAddress[address] = nil
        } else {
            openPerAddress[address]! -= 1
        }
    }
}

// MARK: - libuv callbacks
extension Listener {
    static let onConnection: uv_connection_cb = { server, status in
        let listener = unsafe Unmanaged<Listener>.fromOpaque(server!.pointee.data).takeUnretainedValue()
        guard status == 0 else { return }
        listener.acceptOne()
    }

    static let onClose: uv_close_cb = { raw in
        let tcp = unsafe UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: uv_tcp_t.self)
        unsafe Unmanaged<Listener>.fromOpaque(tcp.pointee.data).release()
        unsafe tcp.deallocate()
    }
}
