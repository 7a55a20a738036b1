import Logging
import Pipelines
import UVLoop

/// The domain services the handlers use, handed to each group of routes when it is registered,
/// all living on the server's loop: the registry actor's executor is the loop itself, so it is
/// entered without a hop (`read` and `write` through `LoopExecutor.runIsolated`, the rare paths
/// with `assumeIsolated`). Owns the one `uv_timer` that drives every stage timeout and the event
/// hub.
///
/// `write` is where every change a handler makes passes: it is handed to the store, its events are
/// published once it is durable, and the timer is re-armed from the change value itself, so no
/// handler can forget any of it. `durability` says when what a response shows may be sent.
final class Services {
    let loop: Loop
    let executor: LoopExecutor
    let registry: PipelineRegistry
    let events: EventHub
    let durability = Durability()
    /// The newest event that is durable: a replay for `Last-Event-ID` shows no event past it
    /// (newer ones reach the subscriber when they are published).
    private(set) var durableEventSeq: UInt64 = 0
    /// Where changes become durable; nil when state lives in memory only.
    private let store: (any Store)?
    private let logger: Logger
    private var runTimer: LoopTimer?
    private var heartbeatTimer: LoopTimer?
    /// Flushes the event hub once per loop turn (see `EventHub.publish`).
    private var eventFlusher: BeforePollHook?
    private var eventWake: LoopTimer?
    private var armedDeadline: Timestamp?

    private let heartbeatMilliseconds: UInt64

    init(loop: Loop, logger: Logger, heartbeatMilliseconds: UInt64, runBook: RunBook, store: (any Store)? = nil) {
        self.loop = loop
        self.store = store
        self.logger = logger
        self.heartbeatMilliseconds = heartbeatMilliseconds
        executor = LoopExecutor(loop: loop)
        registry = PipelineRegistry(executor: executor, runBook: runBook)
        events = EventHub(logger: logger, clock: loop)
    }

    func start() throws(UVError) {
        runTimer = try LoopTimer(loop: loop) { [unowned self] in fireDueTimeouts() }
        let heartbeat = try LoopTimer(loop: loop) { [unowned self] in events.heartbeat() }
        heartbeat.start(after: heartbeatMilliseconds, repeatEvery: heartbeatMilliseconds)
        heartbeatTimer = heartbeat
        // A flush that ran out of its budget leaves work: a 0 ms timer keeps the loop from
        // blocking in poll, so the rest goes out next turn, after other clients were served.
        let wake = try LoopTimer(loop: loop) {}
        eventWake = wake
        eventFlusher = try BeforePollHook(loop: loop) { [unowned self] in
            if events.flush(budget: EventHub.turnBudget) { wake.start(after: 0) }
            events.reportSuppressedLogLines()
        }
        events.flushesBeforePoll = true
        // Restored runs may have stages running (or long overdue): their timeouts start now.
        arm(to: registry.assumeIsolated { $0.nextRunDeadline }, force: true)
        durableEventSeq = registry.assumeIsolated { $0.lastEventSeq }  // restored: all durable
    }

    /// Closes the services' own handles during shutdown.
    func stop() {
        events.closeAll()
        events.flushesBeforePoll = false
        eventFlusher?.close()
        eventWake?.close()
        runTimer?.close()
        heartbeatTimer?.close()
    }

    var now: Timestamp { Timestamp(milliseconds: loop.wallClockMilliseconds) }

    /// Runs a read inside the registry's isolation (callers are on the loop thread).
    func read<T: Sendable, Failure: Error>(
        _ body: @escaping @Sendable (isolated PipelineRegistry) throws(Failure) -> T
    ) throws(Failure) -> T {
        try read(body) { registry, body throws(Failure) in try body(registry) }
    }

    /// Runs `body(registry, argument)` inside the registry's isolation. For the hottest reads:
    /// a `body` that captures nothing costs no allocation (see `LoopExecutor.runIsolated`).
    @inline(__always)
    func read<Argument: Sendable, T: Sendable, Failure: Error>(
        _ argument: Argument, _ body: @escaping @Sendable (isolated PipelineRegistry, Argument) throws(Failure) -> T
    ) throws(Failure) -> T {
        try executor.runIsolated(registry, argument, body)
    }

    /// Runs a write inside the registry's isolation, then does what its change implies: publishes
    /// the events and re-arms the stage timer when the next deadline moved. Returns the answer.
    func write<T: Sendable, Failure: Error>(
        _ body: @escaping @Sendable (isolated PipelineRegistry) throws(Failure) -> Written<T>
    ) throws(Failure) -> T {
        let written = try read(body)
        didApply(written.change)
        return written.value
    }

    /// The consequences of an applied change on the loop: the timer follows the next deadline at
    /// once (it drives memory), the store is handed the change, and subscribers hear its events
    /// once it is durable (never, if it fails).
    private func didApply(_ change: StateChange) {
        if case .moved(let next) = change.deadline { arm(to: next) }
        guard !change.isEmpty else { return }
        let number = durability.didApply()
        if let store {
            let services = LoopBound(Weak(self), loop: loop)
            store.persist(change) { outcome in services.value.object?.settle(number, outcome) }
        } else {
            durability.settle(number, .success(()))
        }
        guard let last = change.events.last?.seq else { return }
        if let outcome = durability.settledOutcome(of: number) {  // in memory: always
            if case .success = outcome { publish(change.events, upTo: last) }
            return
        }
        let published = change.events
        durability.whenSettled(number) { [weak self] outcome in
            guard let self, case .success = outcome else { return }
            publish(published, upTo: last)
        }
    }

    /// Hands durable events to the subscribers; `last` is the newest one's sequence number.
    private func publish(_ published: [RunEvent], upTo last: UInt64) {
        durableEventSeq = max(durableEventSeq, last)
        events.publish(published)
    }

    /// A verdict of the store, on the loop. A failed change rolls memory back to what is
    /// committed: everything applied since was made on top of it and fails with it.
    private func settle(_ number: UInt64, _ outcome: Durability.Outcome) {
        guard durability.settle(number, outcome), case .failure(let failure) = outcome, let store else { return }
        logger.error("store_write_failed", metadata: ["detail": "\(failure.detail)"])
        do throws(StoreFailure) {
            let state = try store.recover(recentEvents: EventLog.defaultCapacity)
            registry.assumeIsolated { $0.reset(to: state) }
            durableEventSeq = state.counters.eventSequence
            store.resume()
            arm(to: registry.assumeIsolated { $0.nextRunDeadline }, force: true)
            logger.notice("store_state_reloaded", metadata: ["pipelines": "\(state.pipelines.count)"])
        } catch {
            // Writes keep failing (the store stays halted); reads serve the memory as it is.
            logger.critical("store_reload_failed", metadata: ["detail": "\(error.detail)"])
        }
    }

    /// Timeouts handled per timer callback: a mass timeout (100,000 runs started together) is
    /// worked off in batches, with requests served between them.
    static let timeoutBatch = 1_000

    private func fireDueTimeouts() {
        let now = now
        let change = registry.assumeIsolated { $0.fireTimeouts(now: now, limit: Self.timeoutBatch) }
        didApply(change)
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

/// A weak reference as a value, so a completion that outlives the server finds nothing to call.
struct Weak<Object: AnyObject> {
    weak var object: Object?

    init(_ object: Object) { self.object = object }
}
