import CLibUV

/// A libuv timer that calls a closure on the loop thread; used for connection sweeps, the
/// `Date` header cache and the run scheduler's single deadline.
///
/// Ownership: the timer retains itself while its handle is open and releases in the close
/// callback, so dropping the Swift reference before `close()` cannot free live handle memory.
public final class LoopTimer {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private let loop: Loop
    private var action: () -> Void
    private var isClosed = false

    public init(loop: Loop, action: @escaping () -> Void) throws(UVError) {
        loop.assertInLoop()
        self.loop = loop
        self.action = action
        handle = .allocate(capacity: 1)
        try check(uv_timer_init(loop.raw, handle), "uv_timer_init")
        // Ownership: released once, in `onClose`.
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Fires once after `milliseconds`, then every `repeatEvery` ms if non-zero; replaces any
    /// previous schedule.
    public func start(after milliseconds: UInt64, repeatEvery: UInt64 = 0) {
        loop.assertInLoop()
        guard !isClosed else { return }
        uv_timer_start(handle, LoopTimer.onFire, milliseconds, repeatEvery)
    }

    public func stop() {
        loop.assertInLoop()
        guard !isClosed else { return }
        uv_timer_stop(handle)
    }

    /// Lets the loop exit even while this timer is armed (for housekeeping timers).
    public func unref() {
        uv_unref(cuv_timer_handle(handle))
    }

    public func close() {
        loop.assertInLoop()
        guard !isClosed else { return }
        isClosed = true
        action = {}
        uv_close(cuv_timer_handle(handle), LoopTimer.onClose)
    }
}

// MARK: - libuv callbacks
extension LoopTimer {
    static let onFire: uv_timer_cb = { handle in
        let timer = Unmanaged<LoopTimer>.fromOpaque(handle!.pointee.data).takeUnretainedValue()
        let action = timer.action  // a copy: the action may close (and so replace) itself
        action()
    }

    static let onClose: uv_close_cb = { raw in
        let timerHandle = UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: uv_timer_t.self)
        Unmanaged<LoopTimer>.fromOpaque(timerHandle.pointee.data).release()
        timerHandle.deallocate()
    }
}
