import CLibUV

/// The memory of one libuv handle and the lifetime of the Swift object that owns it, managed the
/// one way libuv allows: the memory is freed, and the owner released, only in the close callback,
/// because libuv may touch a closing handle until then.
///
/// Ownership: `init` allocates and initialises the handle, and frees it at once if that fails
/// (nothing else has seen it). `attach` retains the owner and stores it in the handle's `data`,
/// where callbacks recover it. `close` starts libuv's close; `onClose` releases the owner and frees
/// the memory — the single release point of both. Thread: loop thread only.
@safe
struct HandleStorage<Handle> {
    let pointer: UnsafeMutablePointer<Handle>
    private(set) var isClosed = false

    /// Allocates a handle and runs libuv's `uv_*_init` on it (`initialize`); `operation` names that
    /// call in the error.
    init(
        loop: Loop, _ operation: String,
        initialize: (UnsafeMutablePointer<uv_loop_t>, UnsafeMutablePointer<Handle>) -> Int32
    ) throws(UVError) {
        loop.assertInLoop()
        let pointer = UnsafeMutablePointer<Handle>.allocate(capacity: 1)
        let status = unsafe initialize(loop.raw, pointer)
        guard status >= 0 else {
            unsafe pointer.deallocate()
            throw UVError(code: status, operation: operation)
        }
        unsafe cuv_handle(UnsafeMutableRawPointer(pointer)).pointee.data = nil  // libuv leaves it unset
        unsafe self.pointer = pointer
    }

    /// The handle as libuv's common type.
    var handle: UnsafeMutablePointer<uv_handle_t> { unsafe cuv_handle(UnsafeMutableRawPointer(pointer)) }

    /// Retains `owner` until the close callback; a callback recovers it with `owner(of:)`.
    func attach(_ owner: AnyObject) {
        unsafe handle.pointee.data = Unmanaged.passRetained(owner).toOpaque()
    }

    /// The object attached to the handle behind `raw`, without retaining it.
    static func owner<Owner: AnyObject>(of raw: UnsafeMutablePointer<Handle>?, as: Owner.Type) -> Owner {
        unsafe Unmanaged<Owner>.fromOpaque(cuv_handle(UnsafeMutableRawPointer(raw!)).pointee.data).takeUnretainedValue()
    }

    /// Starts closing the handle; false when it was closed already. After this returns true no
    /// `uv_*` call may use the handle again.
    mutating func close() -> Bool {
        guard !isClosed else { return false }
        isClosed = true
        unsafe uv_close(handle, onHandleClosed)
        return true
    }
}

/// The close callback of every `HandleStorage`: releases the owner `attach` retained (if any)
/// and frees the handle's memory.
private let onHandleClosed: uv_close_cb = { handle in
    if let owner = unsafe handle!.pointee.data { unsafe Unmanaged<AnyObject>.fromOpaque(owner).release() }
    unsafe UnsafeMutableRawPointer(handle!).deallocate()
}
