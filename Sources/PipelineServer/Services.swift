import Logging
import Pipelines
import UVLoop

/// The domain services the handlers use, handed to each group of routes when it is registered,
/// all living on the server's loop: the registry actor's executor is the loop itself, so
/// `assumeIsolated` enters it without a hop. Owns the one `uv_timer` that drives every stage
/// timeout and the event hub.
///
/// `write` is where every change a handler makes passes: its events are published and the timer
/// re-armed from the change value itself, so no handler can forget either.
final class Services {
    let loop: Loop
    let executor: LoopExecutor
    let registry: PipelineRegistry
    let events: EventHub
    private var runTimer: LoopTimer?
    private var heartbeatTimer: LoopTimer?
    private var armedDeadline: Timestamp?

    private let heartbeatMilliseconds: UInt64

    init(loop: Loop, logger: Logger, heartbeatMilliseconds: UInt64, runBook: RunBook) {
        self.loop = loop
        self.heartbeatMilliseconds = heartbeatMilliseconds
        executor = LoopExecutor(loop: loop)
        registry = PipelineRegistry(executor: executor, runBook: runBook)
        events = EventHub(logger: logger)
    }

    func start() throws(UVError) {
        runTimer = try LoopTimer(loop: loop) { [unowned self] in fireDueTimeouts() }
        let heartbeat = try LoopTimer(loop: loop) { [unowned self] in events.heartbeat() }
        heartbeat.start(after: heartbeatMilliseconds, repeatEvery: heartbeatMilliseconds)
        heartbeatTimer = heartbeat
    }

    /// Closes the services' own handles during shutdown.
    func stop() {
        events.closeAll()
        runTimer?.close()
        heartbeatTimer?.close()
    }

    var now: Timestamp { Timestamp(milliseconds: loop.wallClockMilliseconds) }

    /// Runs a read inside the registry's isolation (callers are on the loop thread).
    func read<T: Sendable, Failure: Error>(
        _ body: @Sendable (isolated PipelineRegistry) throws(Failure) -> T
    ) throws(Failure) -> T {
        let result: Result<T, Failure> = registry.assumeIsolated { registry in
            do throws(Failure) { return .success(try body(registry)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs a write inside the registry's isolation, then does what its change implies: publishes
    /// the events and re-arms the stage timer when the next deadline moved. Returns the answer.
    func write<T: Sendable, Failure: Error>(
        _ body: @Sendable (isolated PipelineRegistry) throws(Failure) -> Written<T>
    ) throws(Failure) -> T {
        let written = try read(body)
        didApply(written.change)
        return written.value
    }

    /// The consequences of an applied change on the loop: subscribers hear its events, and the
    /// one timer follows the next deadline.
    private func didApply(_ change: StateChange) {
        if !change.events.isEmpty { events.publish(change.events) }
        if case .moved(let next) = change.deadline { arm(to: next) }
    }

    /// Timeouts handled per timer callback: a mass timeout (100,000 runs started together) is
    /// worked off in batches, with requests served between them.
    static let timeoutBatch = 1_000

    private func fireDueTimeouts() {
        let now = now
        let change = registry.assumeIsolated { $0.fireTimeouts(now: now, limit: Self.timeoutBatch) }
        if !change.events.isEmpty { events.publish(change.events) }
        // The timer fired, so it is no longer armed: arm it to what is next, moved or not (a
        // wall-clock deadline can be a moment ahead of the loop's clock).
        arm(to: registry.assumeIsolated { $0.nextRunDeadline }, force: true)
    }

    /// One timer for all runs: armed to the earliest deadline, only touched when that changes.
    private func arm(to next: Timestamp?, force: Bool = false) {
        guard force || next != armedDeadline, let runTimer else { return }
        armedDeadline = next
        guard let next else { return runTimer.stop() }
        // At least 1 ms: libuv runs a 0 ms timer re-armed from a timer callback in the same
        // pass, which would keep the loop from serving requests between batches.
        let delay = max(1, next.milliseconds - now.milliseconds)
        runTimer.start(after: UInt64(delay))
    }
}
