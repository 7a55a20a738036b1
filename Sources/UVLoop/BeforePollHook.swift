import CLibUV

/// Runs an action once per loop iteration, just before the loop waits for I/O (a libuv
/// "prepare" handle): the place to flush work batched during the iteration, such as log lines.
/// It does not keep the loop alive on its own.
///
/// Ownership: retained while its handle is open, released in the close callback (see
/// `HandleStorage`).
@safe
public final class BeforePollHook {
    private var storage: HandleStorage<uv_prepare_t>
    private let loop: Loop
    private var action: () -> Void

    public init(loop: Loop, action: @escaping () -> Void) throws(UVError) {
        self.loop = loop
        self.action = action
        unsafe storage = try HandleStorage(loop: loop, "uv_prepare_init") { unsafe uv_prepare_init($0, $1) }
        unsafe storage.attach(self)
        do {
            try check(unsafe uv_prepare_start(storage.pointer, BeforePollHook.onPrepare), "uv_prepare_start")
        } catch {
            close()  // the close callback releases what `attach` retained
            throw error
        }
        unsafe uv_unref(storage.handle)
    }

    public func close() {
        loop.assertInLoop()
        guard unsafe storage.close() else { return }
        action = {}
    }
}

// MARK: - libuv callbacks
extension BeforePollHook {
    static let onPrepare: uv_prepare_cb = { handle in
        let hook = unsafe HandleStorage.owner(of: handle, as: BeforePollHook.self)
        let action = hook.action  // a copy: the action may close (and so replace) itself
        action()
    }
}
