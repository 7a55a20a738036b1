import CLibUV

/// A libuv timer that calls a closure on the loop thread; used for connection sweeps, the
/// `Date` header cache and the run scheduler's single deadline.
///
/// Ownership: the timer is retained while its handle is open and released in the close callback
/// (see `HandleStorage`), so dropping the Swift reference before `close()` cannot free live
/// handle memory.
@safe
public final class LoopTimer {
    private var storage: HandleStorage<uv_timer_t>
    private let loop: Loop
    private var action: () -> Void

    public init(loop: Loop, action: @escaping () -> Void) throws(UVError) {
        self.loop = loop
        self.action = action
        unsafe storage = try HandleStorage(loop: loop, "uv_timer_init") { unsafe uv_timer_init($0, $1) }
        unsafe storage.attach(self)
    }

    /// Fires once after `milliseconds`, then every `repeatEvery` ms if non-zero; replaces any
    /// previous schedule.
    public func start(after milliseconds: UInt64, repeatEvery: UInt64 = 0) {
        loop.assertInLoop()
        guard unsafe !storage.isClosed else { return }
        unsafe uv_timer_start(storage.pointer, LoopTimer.onFire, milliseconds, repeatEvery)
    }

    public func stop() {
        loop.assertInLoop()
        guard unsafe !storage.isClosed else { return }
        unsafe uv_timer_stop(storage.pointer)
    }

    /// Lets the loop exit even while this timer is armed (for housekeeping timers).
    public func unref() {
        guard unsafe !storage.isClosed else { return }
        unsafe uv_unref(storage.handle)
    }

    public func close() {
        loop.assertInLoop()
        guard unsafe storage.close() else { return }
        action = {}
    }
}

// MARK: - libuv callbacks
extension LoopTimer {
    static let onFire: uv_timer_cb = { handle in
        let timer = unsafe HandleStorage.owner(of: handle, as: LoopTimer.self)
        let action = timer.action  // a copy: the action may close (and so replace) itself
        action()
    }
}
