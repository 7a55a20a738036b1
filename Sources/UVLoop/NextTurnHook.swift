import CLibUV

/// Runs an action once per loop iteration while started, and keeps the loop from waiting for I/O
/// meanwhile (a libuv "idle" handle): the way to continue work on the next iteration after every
/// ready socket had its turn. A 0 ms timer cannot do this: one restarted from its own callback
/// runs again in the same timer phase, before any I/O is polled.
///
/// Ownership: retained while its handle is open, released in the close callback (see
/// `HandleStorage`). Thread: loop thread only.
@safe
public final class NextTurnHook {
    private var storage: HandleStorage<uv_idle_t>
    private let loop: Loop
    private var action: () -> Void

    public init(loop: Loop, action: @escaping () -> Void) throws(UVError) {
        self.loop = loop
        self.action = action
        unsafe storage = try HandleStorage(loop: loop, "uv_idle_init") { unsafe uv_idle_init($0, $1) }
        unsafe storage.attach(self)
    }

    /// Runs the action on every iteration from the next one on, until `stop`.
    public func start() {
        loop.assertInLoop()
        guard unsafe !storage.isClosed else { return }
        unsafe uv_idle_start(storage.pointer, NextTurnHook.onIdle)
    }

    public func stop() {
        loop.assertInLoop()
        guard unsafe !storage.isClosed else { return }
        unsafe uv_idle_stop(storage.pointer)
    }

    public func close() {
        loop.assertInLoop()
        guard unsafe storage.close() else { return }
        action = {}
    }
}

// MARK: - libuv callbacks
extension NextTurnHook {
    static let onIdle: uv_idle_cb = { handle in
        let hook = unsafe HandleStorage.owner(of: handle, as: NextTurnHook.self)
        let action = hook.action  // a copy: the action may close (and so replace) itself
        action()
    }
}
