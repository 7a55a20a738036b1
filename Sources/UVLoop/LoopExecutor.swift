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
    @usableFromInline let loop: Loop

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

extension LoopExecutor {
    /// Runs `operation(actor, argument)` isolated to `actor`, from the loop thread: what
    /// `actor.assumeIsolated` does, checked with the loop's own thread test instead of the
    /// runtime's executor lookup, which costs about a thousand instructions on every request that
    /// reads the registry. The actor's executor must be this executor; debug builds check that
    /// with the runtime too.
    ///
    /// `operation` is escaping, with what it works on passed as `argument`, because
    /// `assumeIsolated` has to make its non-escaping closure look escaping for the cast, which
    /// allocates twice per call; a closure literal that captures nothing allocates nothing here.
    @inlinable @inline(__always)  // inlined where it is called: a generic call costs a closure thunk per read
    public func runIsolated<A: Actor, Argument, T, Failure: Error>(
        _ actor: A, _ argument: Argument, _ operation: @escaping (isolated A, Argument) throws(Failure) -> T
    ) throws(Failure) -> T {
        assert(
            {
                actor.preconditionIsolated()
                return true
            }())
        precondition(loop.inLoopThread, "expected to run on the libuv loop thread")
        typealias Nonisolated = (A, Argument) throws(Failure) -> T
        // Sound: the actor's jobs run only on this loop's thread (its executor is this one), and
        // this is that thread, so nothing else can be isolated to the actor now. The cast drops
        // only the isolation, which has no representation in the function's calling convention
        // (the standard library's `assumeIsolated` makes the same cast).
        return try unsafe unsafeBitCast(operation, to: Nonisolated.self)(actor, argument)
    }
}
