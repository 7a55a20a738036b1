import CLibUV

extension Connection {
    /// Sends `head` then `body` in one vectored write. Small responses usually leave at once via
    /// `uv_try_write` without allocating; if the socket does not take everything, the arrays
    /// themselves are queued with `uv_write` — held, not copied — until the write callback.
    ///
    /// Why held rather than copied: the same frame often goes to many connections (the event
    /// fan-out shares one array per batch), and an array is immutable once handed over, so a
    /// queue of N slow readers costs one copy of the frame instead of N. A caller that goes on
    /// mutating its array gets a copy of its own (copy-on-write); the queued bytes stay as they
    /// were.
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
        loop.releasedOutputBytes += byteCount
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

/// A queued write: the caller's arrays, retained (never copied) until libuv's write callback.
/// Each queued write is its own request, freed in its callback, so a connection keeps no
/// output buffer of its own: one whose queue empties holds nothing, whatever it queued before.
///
/// Ownership: retained by itself from `start` until `onWrite`, which releases it, and with it
/// the arrays; the `uv_write_t` is freed in `deinit`.
@safe
final class PendingWrite {
    let request: UnsafeMutablePointer<uv_write_t> = .allocate(capacity: 1)
    /// The bytes being sent, as the caller handed them over; `let`, so never mutated while
    /// libuv reads them.
    private let head: [UInt8]
    private let body: [UInt8]
    /// Leading bytes of `head` + `body` that `uv_try_write` already sent.
    private let skipped: Int
    var connection: Connection?

    init(head: [UInt8], body: [UInt8], skipping written: Int) {
        self.head = head
        self.body = body
        skipped = written
    }

    deinit {
        unsafe request.deallocate()
    }

    var byteCount: Int { head.count + body.count - skipped }

    func start(on stream: UnsafeMutablePointer<uv_stream_t>, owner: Connection) -> Int32 {
        connection = owner
        unsafe request.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let headStart = min(skipped, head.count)
        let bodyStart = skipped - headStart
        // libuv copies the `uv_buf_t` descriptors into the request, but not the bytes they point
        // at: those must stay put until `onWrite`.
        //
        // Sound although the pointers outlive the closures that lent them: a `[UInt8]` always
        // has native contiguous storage (only arrays of classes are bridged lazily), whose
        // elements stay at one address for the storage's life. `head` and `body` are `let`
        // properties of this object, so they are never written, grown or reallocated, and their
        // storage lives as long as this object, which is retained until `onWrite`. libuv only
        // reads the bytes.
        let status = unsafe head.withUnsafeBufferPointer { head in
            unsafe body.withUnsafeBufferPointer { body in
                unsafe withUnsafeTemporaryAllocation(of: uv_buf_t.self, capacity: 2) { buffers in
                    // Empty pieces are left out (an event frame comes as a head without a body).
                    let headRest = unsafe UnsafeBufferPointer(rebasing: head[headStart...])
                    let bodyRest = unsafe UnsafeBufferPointer(rebasing: body[bodyStart...])
                    var count = 0
                    if !headRest.isEmpty {
                        unsafe buffers[count] = Connection.buffer(headRest)
                        count += 1
                    }
                    if !bodyRest.isEmpty || count == 0 {
                        unsafe buffers[count] = Connection.buffer(bodyRest)
                        count += 1
                    }
                    return unsafe uv_write(request, stream, buffers.baseAddress, UInt32(count), PendingWrite.onWrite)
                }
            }
        }
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
