import CLibUV
import Synchronization

/// One libuv event loop and the thread that runs it.
///
/// Ownership: the loop owns its `uv_loop_t` and the wake-up `uv_async_t`; both are freed in
/// `close()`, after `uv_run` has returned. Thread: everything but `execute(_:)` must be called on
/// the loop thread (the thread that calls `run()`), and debug builds check it.
/// `@unchecked Sendable` for that reason: a loop is shared across threads only to `execute` on it.
@safe
public final class Loop: @unchecked Sendable {
    let raw: UnsafeMutablePointer<uv_loop_t>
    private let wakeup: UnsafeMutablePointer<uv_async_t>
    /// Work handed over by other threads, guarded by `inboxLock`. A libuv (pthread) mutex rather
    /// than `Synchronization.Mutex`: ThreadSanitizer understands pthread locks, not raw futexes.
    private var inbox: [@Sendable () -> Void] = []
    private let inboxLock: UnsafeMutablePointer<uv_mutex_t>
    /// The thread running `run()`; 0 before it starts. Atomic: `checkIsolated` reads it anywhere.
    private let ownerThread = Atomic<UInt>(0)
    /// One buffer every connection reads into: libuv calls alloc and read back to back per stream,
    /// so idle connections hold no read memory at all.
    let sharedReadBuffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes of queued output released (written or cancelled) since a `HeapTrimmer` last took
    /// them: how the trimmer tells that a burst of buffered output has been freed. Loop thread.
    var releasedOutputBytes = 0
    /// False once `shutDownWakeup` closed the wake-up handle; guarded by `inboxLock`, so no
    /// `execute` can send to a closing (or, after `close()`, freed) handle.
    private var acceptsWork = true

    /// Size of the shared read buffer: big enough for many pipelined requests per read.
    public static let readBufferSize = 64 * 1024

    public init() throws(UVError) {
        unsafe raw = .allocate(capacity: 1)
        unsafe try check(uv_loop_init(raw), "uv_loop_init")
        unsafe wakeup = .allocate(capacity: 1)
        unsafe try check(uv_async_init(raw, wakeup, Loop.onWakeup), "uv_async_init")
        unsafe sharedReadBuffer = .allocate(capacity: Loop.readBufferSize)
        unsafe inboxLock = .allocate(capacity: 1)
        unsafe uv_mutex_init(inboxLock)
        // Ownership: unretained; the loop outlives its async handle (closed in `shutDownWakeup`).
        unsafe wakeup.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        cuv_ignore_sigpipe()
    }

    deinit {
        // The loop must be closed (uv_run returned, `close()` called) before it goes away.
        unsafe sharedReadBuffer.deallocate()
        unsafe uv_mutex_destroy(inboxLock)
        unsafe inboxLock.deallocate()
        unsafe raw.deallocate()
    }

    /// Declares the calling thread the loop's, before `run()` (which must then be called on it):
    /// set-up done here — restoring state into an actor that lives on the loop — then counts as
    /// running on the loop.
    public func claimCurrentThread() {
        ownerThread.store(UInt(cuv_thread_id()), ordering: .releasing)
    }

    /// Runs the loop on the calling thread until no active handles remain.
    public func run() {
        ownerThread.store(UInt(cuv_thread_id()), ordering: .releasing)
        unsafe uv_run(raw, UV_RUN_DEFAULT)
    }

    /// Runs one iteration without waiting, on the calling thread, which becomes the loop thread:
    /// for code that drives a loop by hand (in-process server tests), where `run()` would block.
    public func runOnce() {
        ownerThread.store(UInt(cuv_thread_id()), ordering: .releasing)
        unsafe uv_run(raw, UV_RUN_NOWAIT)
    }

    /// True on the thread running the loop.
    public var inLoopThread: Bool {
        ownerThread.load(ordering: .acquiring) == UInt(cuv_thread_id())
    }

    /// Debug-build check that a `uv_*` call happens on the loop thread (libuv is not thread-safe).
    @inline(__always)
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(
            inLoopThread || ownerThread.load(ordering: .relaxed) == 0,
            "libuv touched off the loop thread", file: file, line: line)
    }

    /// Monotonic milliseconds, as cached by libuv at the start of this loop iteration.
    public var now: UInt64 { unsafe uv_now(raw) }

    /// Wall-clock milliseconds since the Unix epoch, for timestamps and the `Date` header.
    public var wallClockMilliseconds: Int64 {
        var time = uv_timeval64_t()
        unsafe uv_gettimeofday(&time)
        return time.tv_sec * 1000 + Int64(time.tv_usec) / 1000
    }

    /// Schedules `work` on the loop thread; the one entry point that is safe from any thread.
    /// After `shutDownWakeup` the work is dropped unrun (and released): the loop is going away.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        unsafe uv_mutex_lock(inboxLock)
        defer { unsafe uv_mutex_unlock(inboxLock) }
        guard acceptsWork else { return }
        inbox.append(work)
        // Under the lock, so `shutDownWakeup` cannot close the handle between the check and this.
        unsafe uv_async_send(wakeup)
    }

    /// Closes the wake-up handle so `uv_run` can return once every other handle is closed.
    /// Work submitted after this, and work still waiting to run, is dropped.
    public func shutDownWakeup() {
        assertInLoop()
        var dropped: [@Sendable () -> Void] = []
        unsafe uv_mutex_lock(inboxLock)
        let wasAccepting = acceptsWork
        acceptsWork = false
        swap(&dropped, &inbox)
        unsafe uv_mutex_unlock(inboxLock)
        guard wasAccepting else { return }
        unsafe uv_close(cuv_async_handle(wakeup), nil)
    }

    /// Frees the loop after `run()` returned; returns libuv's status (0 when every handle closed).
    @discardableResult
    public func close() -> Int32 {
        let status = unsafe uv_loop_close(raw)
        if status == 0 { unsafe wakeup.deallocate() }
        return status
    }

    private func drainInbox() {
        var work: [@Sendable () -> Void] = []
        unsafe uv_mutex_lock(inboxLock)
        swap(&work, &inbox)
        unsafe uv_mutex_unlock(inboxLock)
        for item in work { item() }
    }
}

// MARK: - libuv callbacks
extension Loop {
    static let onWakeup: uv_async_cb = { handle in
        let loop = unsafe Unmanaged<Loop>.fromOpaque(handle!.pointee.data).takeUnretainedValue()
        loop.drainInbox()
    }
}
