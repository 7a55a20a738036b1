import CLibUV

extension Connection {
    /// Sends `head` then `body` in one vectored write. Small responses usually leave at once via
    /// `uv_try_write` without allocating; what the socket does not take is copied once and queued
    /// with `uv_write`, and its memory is held until the write callback.
    public func write(_ head: [UInt8], _ body: [UInt8] = []) {
        loop.assertInLoop()
        guard state == .open else { return }
        let total = head.count + body.count
        var written = 0
        if queuedBytes == 0 {
            let status = tryWrite(head, body)
            if status == total { return }
            if status < 0, status != Int32(UV_EAGAIN.rawValue) {
                close()
                return
            }
            written = max(0, Int(status))
        }
        queue(head, body, skipping: written)
    }

    private func tryWrite(_ head: [UInt8], _ body: [UInt8]) -> Int32 {
        unsafe head.withUnsafeBufferPointer { head in
            unsafe body.withUnsafeBufferPointer { body in
                var buffers = unsafe [Self.buffer(head), Self.buffer(body)]
                return unsafe uv_try_write(stream, &buffers, 2)
            }
        }
    }

    private func queue(_ head: [UInt8], _ body: [UInt8], skipping written: Int) {
        let request = PendingWrite(head: head, body: body, skipping: written)
        let status = unsafe request.start(on: stream, owner: self)
        guard status == 0 else {
            close()
            return
        }
        let wasEmpty = queuedBytes == 0
        queuedBytes += request.byteCount
        updateReading()
        if wasEmpty { delegate?.connectionDidQueueOutput(self) }
    }

    func writeFinished(byteCount: Int, status: Int32) {
        queuedBytes -= byteCount
        if status == UVError.cancelled { return }
        if status < 0 {
            close()
            return
        }
        delegate?.connection(self, didWrite: queuedBytes)
        if state == .flushing, queuedBytes == 0 {
            shutDown()
        } else if state == .open, queuedBytes <= watermarks.low, wantsReading {
            deliverPending()
            updateReading()
        }
    }

    static func buffer(_ bytes: UnsafeBufferPointer<UInt8>) -> uv_buf_t {
        let base = unsafe UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
        return unsafe uv_buf_init(base, UInt32(bytes.count))
    }
}

/// A queued write and the copy of the bytes it sends, alive until libuv's write callback.
///
/// Ownership: retained by itself from `start` until `onWrite`, which releases it; the bytes
/// and the `uv_write_t` are freed in `deinit`.
@safe
final class PendingWrite {
    let request: UnsafeMutablePointer<uv_write_t> = .allocate(capacity: 1)
    let bytes: UnsafeMutableBufferPointer<UInt8>
    var connection: Connection?

    init(head: [UInt8], body: [UInt8], skipping written: Int) {
        unsafe bytes = .allocate(capacity: head.count + body.count - written)
        var offset = 0
        if written < head.count {
            offset = unsafe bytes.initialize(fromContentsOf: head[written...])
        }
        let bodyStart = max(0, written - head.count)
        _ = unsafe bytes[offset...].initialize(fromContentsOf: body[bodyStart...])
    }

    deinit {
        unsafe bytes.deallocate()
        unsafe request.deallocate()
    }

    var byteCount: Int { unsafe bytes.count }

    func start(on stream: UnsafeMutablePointer<uv_stream_t>, owner: Connection) -> Int32 {
        connection = owner
        unsafe request.pointee.data = Unmanaged.passRetained(self).toOpaque()
        var buffer = unsafe Connection.buffer(UnsafeBufferPointer(bytes))
        let status = unsafe uv_write(request, stream, &buffer, 1, PendingWrite.onWrite)
        if status != 0 {
            unsafe Unmanaged.passUnretained(self).release()
            connection = nil
        }
        return status
    }

    static let onWrite: uv_write_cb = { request, status in
        let write = unsafe Unmanaged<PendingWrite>.fromOpaque(request!.pointee.data).takeRetainedValue()
        let connection = write.connection
        write.connection = nil
        connection?.writeFinished(byteCount: write.byteCount, status: status)
    }
}
