import CLibUV

/// Watches SIGINT and SIGTERM on the loop so shutdown runs as ordinary loop code.
///
/// Ownership: retained once per open handle; each handle releases its retain and frees its
/// memory in its close callback (see `HandleStorage`).
@safe
public final class SignalWatcher {
    private let loop: Loop
    private var handles: [HandleStorage<uv_signal_t>] = unsafe []
    private var action: (Int32) -> Void

    public init(loop: Loop, signals: [Int32] = [SIGINT, SIGTERM], action: @escaping (Int32) -> Void) throws(UVError) {
        self.loop = loop
        self.action = action
        do {
            for signal in signals {
                let storage = unsafe try HandleStorage<uv_signal_t>(loop: loop, "uv_signal_init") {
                    unsafe uv_signal_init($0, $1)
                }
                unsafe storage.attach(self)
                unsafe handles.append(storage)
                try check(unsafe uv_signal_start(storage.pointer, SignalWatcher.onSignal, signal), "uv_signal_start")
                _ = cuv_unblock_signal(signal)
            }
        } catch {
            close()  // handles opened so far are closed; their callbacks release what they retained
            throw error
        }
    }

    public func close() {
        loop.assertInLoop()
        action = { _ in }
        for index in unsafe handles.indices { _ = unsafe handles[index].close() }
        unsafe handles.removeAll()
    }
}

// MARK: - libuv callbacks
extension SignalWatcher {
    static let onSignal: uv_signal_cb = { handle, signal in
        let watcher = unsafe HandleStorage.owner(of: handle, as: SignalWatcher.self)
        let action = watcher.action  // a copy: the action may close (and so replace) itself
        action(signal)
    }
}
