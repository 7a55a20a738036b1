import CLibUV

/// Watches SIGINT and SIGTERM on the loop so shutdown runs as ordinary loop code.
///
/// Ownership: retained while its handles are open; each handle is freed in its close callback.
public final class SignalWatcher {
    private let loop: Loop
    private var handles: [UnsafeMutablePointer<uv_signal_t>] = []
    private var action: (Int32) -> Void

    public init(loop: Loop, signals: [Int32] = [SIGINT, SIGTERM], action: @escaping (Int32) -> Void) throws(UVError) {
        loop.assertInLoop()
        self.loop = loop
        self.action = action
        for signal in signals {
            let handle = UnsafeMutablePointer<uv_signal_t>.allocate(capacity: 1)
            try check(uv_signal_init(loop.raw, handle), "uv_signal_init")
            // Ownership: one retain per handle, released in `onClose`.
            handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
            handles.append(handle)
            try check(uv_signal_start(handle, SignalWatcher.onSignal, signal), "uv_signal_start")
            _ = cuv_unblock_signal(signal)
        }
    }

    public func close() {
        loop.assertInLoop()
        action = { _ in }
        for handle in handles { uv_close(cuv_signal_handle(handle), SignalWatcher.onClose) }
        handles.removeAll()
    }
}

// MARK: - libuv callbacks
extension SignalWatcher {
    static let onSignal: uv_signal_cb = { handle, signal in
        let watcher = Unmanaged<SignalWatcher>.fromOpaque(handle!.pointee.data).takeUnretainedValue()
        let action = watcher.action  // a copy: the action may close (and so replace) itself
        action(signal)
    }

    static let onClose: uv_close_cb = { raw in
        let handle = UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: uv_signal_t.self)
        Unmanaged<SignalWatcher>.fromOpaque(handle.pointee.data).release()
        handle.deallocate()
    }
}
