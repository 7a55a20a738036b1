import CLibUV

/// A `SerialExecutor` that runs jobs on a libuv loop's thread, so an actor whose
/// `unownedExecutor` is this executor lives on the loop (SE-0392, SE-0424).
///
/// Code already running on the loop enters such an actor with `assumeIsolated`, which calls
/// `checkIsolated()` instead of hopping: a request handler reaches the registry without a
/// thread switch. Jobs from other threads are queued and the loop is woken with `uv_async_send`.
public final class LoopExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: `loop` is only touched through `Loop.execute`, which is thread-safe, and
    // `inLoopThread`, which reads an atomic.
    private let loop: Loop

    public init(loop: Loop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = unsafe asUnownedSerialExecutor()
        loop.execute { unsafe unowned.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        unsafe UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        precondition(loop.inLoopThread, "expected to run on the libuv loop thread")
    }

    public func isIsolatingCurrentContext() -> Bool? {
        loop.inLoopThread
    }
}
