import CLibUV

extension Connection {
    /// Closes once queued output is flushed: half-closes the socket, drains input for a short
    /// linger, then releases the handle. Used after a `Connection: close` response or an error.
    public func closeAfterFlush() {
        loop.assertInLoop()
        guard state == .open else { return }
        state = .flushing
        pending = []
        if queuedBytes == 0 { shutDown() } else { updateReading() }
    }

    /// Closes now; queued writes are cancelled.
    public func close() {
        loop.assertInLoop()
        guard state != .closing, state != .closed else { return }
        state = .closing
        pending = []
        lingerTimer?.close()
        lingerTimer = nil
        unsafe uv_close(cuv_tcp_handle(handle), Connection.onClose)
    }

    func shutDown() {
        let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        // Ownership: the request is freed in `onShutdown`; it holds the connection unretained,
        // which is safe because libuv runs the shutdown callback before the close callback.
        unsafe request.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        if unsafe uv_shutdown(request, stream, Connection.onShutdown) != 0 {
            unsafe request.deallocate()
            close()
        }
    }

    func startLingering() {
        guard state == .flushing else { return }
        if peerFinished { return close() }
        state = .lingering
        updateReading()
        lingerTimer = try? LoopTimer(loop: loop) { [unowned self] in close() }
        lingerTimer?.start(after: Connection.lingerMilliseconds)
        if lingerTimer == nil { close() }
    }
}

// MARK: - libuv callbacks
extension Connection {
    static let onAlloc: uv_alloc_cb = { handle, _, buffer in
        let connection = unsafe Unmanaged<Connection>.fromOpaque(handle!.pointee.data).takeUnretainedValue()
        unsafe buffer!.pointee = Connection.buffer(UnsafeBufferPointer(connection.loop.sharedReadBuffer))
    }

    static let onRead: uv_read_cb = { stream, count, _ in
        let connection = unsafe Unmanaged<Connection>.fromOpaque(stream!.pointee.data).takeUnretainedValue()
        if count > 0 {
            connection.received(count)
        } else if count == Int(UVError.endOfFile) {
            connection.peerClosed()
        } else if count < 0 {
            connection.close()
        }
    }

    static let onShutdown: uv_shutdown_cb = { request, status in
        let connection = unsafe Unmanaged<Connection>.fromOpaque(request!.pointee.data).takeUnretainedValue()
        unsafe request!.deallocate()
        if status == 0 { connection.startLingering() } else { connection.close() }
    }

    static let onClose: uv_close_cb = { raw in
        let tcp = unsafe UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: uv_tcp_t.self)
        let connection = unsafe Unmanaged<Connection>.fromOpaque(tcp.pointee.data).takeRetainedValue()
        connection.state = .closed
        connection.delegate?.connectionDidClose(connection)
        connection.delegate = nil
        connection.listener?.closed(from: connection.peer)
        connection.listener = nil
        unsafe tcp.deallocate()
    }
}
