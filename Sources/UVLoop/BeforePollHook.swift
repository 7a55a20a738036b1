import CLibUV

/// Runs an action once per loop iteration, just before the loop waits for I/O (a libuv
/// "prepare" handle): the place to flush work batched during the iteration, such as log lines.
/// It does not keep the loop alive on its own.
///
/// Ownership: retained while its handle is open, released in the close callback.
public final class BeforePollHook {
    private let handle: UnsafeMutablePointer<uv_prepare_t>
    private let loop: Loop
    private var action: () -> Void
    private var isClosed = false

    public init(loop: Loop, action: @escaping () -> Void) throws(UVError) {
        loop.assertInLoop()
        self.loop = loop
        self.action = action
        handle = .allocate(capacity: 1)
        try check(uv_prepare_init(loop.raw, handle), "uv_prepare_init")
        // Ownership: released once, in `onClose`.
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        try check(uv_prepare_start(handle, BeforePollHook.onPrepare), "uv_prepare_start")
        uv_unref(cuv_prepare_handle(handle))
    }

    public func close() {
        loop.assertInLoop()
        guard !isClosed else { return }
        isClosed = true
        action = {}
        uv_close(cuv_prepare_handle(handle), BeforePollHook.onClose)
    }
}

// MARK: - libuv callbacks
extension BeforePollHook {
    static let onPrepare: uv_prepare_cb = { handle in
        let hook = Unmanaged<BeforePollHook>.fromOpaque(handle!.pointee.data).takeUnretainedValue()
        let action = hook.action  // a copy: the action may close (and so replace) itself
        action()
    }

    static let onClose: uv_close_cb = { raw in
        let prepare = UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: uv_prepare_t.self)
        Unmanaged<BeforePollHook>.fromOpaque(prepare.pointee.data).release()
        prepare.deallocate()
    }
}
