import Logging
import Pipelines
import UVLoop

/// The domain services the handlers use, all living on the server's loop: the registry actor's
/// executor is the loop itself, so `assumeIsolated` enters it without a hop. Owns the one
/// `uv_timer` that drives every stage timeout (re-armed to the next deadline after each change)
/// and the event hub.
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

    /// Runs `body` inside the registry's isolation (callers are on the loop thread), then
    /// publishes any events and re-arms the timer.
    func withRegistry<T: Sendable, Failure: Error>(
        _ body: @Sendable (isolated PipelineRegistry) throws(Failure) -> T
    ) throws(Failure) -> T {
        let result: Result<T, Failure> = registry.assumeIsolated { registry in
            do throws(Failure) { return .success(try body(registry)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Publishes what a run operation produced and re-arms the timeout timer.
    func didChangeRuns(_ produced: [RunEvent]) {
        events.publish(produced)
        armTimer()
    }

    /// Timeouts handled per timer callback: a mass timeout (100,000 runs started together) is
    /// worked off in batches, with requests served between them.
    static let timeoutBatch = 1_000

    private func fireDueTimeouts() {
        armedDeadline = nil
        let now = now
        let produced = registry.assumeIsolated { $0.fireTimeouts(now: now, limit: Self.timeoutBatch) }
        didChangeRuns(produced)
    }

    /// One timer for all runs: armed to the earliest deadline, only touched when that changes.
    private func armTimer() {
        let next = registry.assumeIsolated { $0.nextRunDeadline }
        guard next != armedDeadline, let runTimer else { return }
        armedDeadline = next
        guard let next else { return runTimer.stop() }
        // At least 1 ms: libuv runs a 0 ms timer re-armed from a timer callback in the same
        // pass, which would keep the loop from serving requests between batches.
        let delay = max(1, next.milliseconds - now.milliseconds)
        runTimer.start(after: UInt64(delay))
    }
}
