import HTTP1
import Logging
import Pipelines
import UVLoop

/// The HTTP server: accepts connections on the loop, enforces their timeouts with one sweep
/// timer, routes requests, and shuts down gracefully.
///
/// In-process tests create it without `start()` (no socket, no timer), open connections over
/// memory transports with `open(_:)`, move a manual clock and call `sweep()` by hand.
/// Thread: loop thread only; created and started there.
package final class Server {
    let loop: Loop
    let configuration: ServerConfiguration
    let logger: Logger
    /// Where connection deadlines are read: the loop's time, or a test's manual clock.
    let clock: any MonotonicClock
    /// A stage before the route table that may answer a request later (through the `Responder`,
    /// returning nil) — the seam for answers that wait for a commit; nil: routes answer at once.
    var interceptor: ((RequestContext, Responder) -> Reply?)?
    var accessLog: AccessLog
    var dates = DateCache()
    let authenticator: Authenticator
    /// Shared by every connection, so none carries its own copy.
    let connectionTimeouts: HTTPConnection.Machine.Timeouts
    let parserSettings: RequestParser.Settings
    /// Failed logins per client address, and who is throttled for them (`Server+LoginThrottle`).
    var loginThrottle: LoginThrottle<PeerAddress>
    /// The last `Host` value `BrowserSafety.acceptsHost` accepted. A client names the same host on
    /// every request, so a repeat is decided by one comparison instead of parsing the name again.
    var acceptedHost: [UInt8]?
    /// The buffer response heads are serialised into, reused from one response to the next: a
    /// head that leaves at once (nearly all) comes back unshared, so it costs no allocation. One
    /// queued behind a slow reader stays with its write, and the next head gets a new buffer.
    /// Holds one head at most: a few hundred bytes.
    var responseHeadBuffer: [UInt8] = []
    let services: Services
    private(set) var router = Router()
    private var listener: Listener?
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var sweepTimer: LoopTimer?
    private var graceTimer: LoopTimer?
    /// Connections that used up their turn (`HTTPConnection.requestsPerTurn`), resumed by
    /// `nextTurn` on the next loop iteration, after every other ready connection was read.
    private var yielded: [HTTPConnection] = []
    private var nextTurn: NextTurnHook?
    private(set) var isShuttingDown = false
    private var onStopped: (() -> Void)?

    /// A server on `loop`; with a `store`, every change is made durable there before anyone sees
    /// it. `clock` is the loop's own unless a test drives time by hand.
    package init(
        loop: Loop, configuration: ServerConfiguration, logger: Logger, store: (any Store)? = nil,
        clock: (any MonotonicClock)? = nil
    ) {
        self.loop = loop
        self.clock = clock ?? loop
        self.configuration = configuration
        self.logger = logger
        accessLog = AccessLog(logger: logger, sampling: configuration.accessLogSampling)
        authenticator = Authenticator(credentials: configuration.credentials)
        connectionTimeouts = configuration.connectionTimeouts
        parserSettings = RequestParser.Settings(limits: configuration.limits)
        loginThrottle = LoginThrottle(
            maxFailures: configuration.maxFailedLogins, window: configuration.failedLoginWindowMilliseconds,
            capacity: configuration.failedLoginAddresses)
        services = Services(
            loop: loop, logger: logger, heartbeatMilliseconds: configuration.heartbeatMilliseconds,
            runBook: RunBook(maxActiveRuns: configuration.maxActiveRuns), store: store)
        services.events.maxSubscribersPerAddress = configuration.maxSubscribersPerAddress
        services.events.stageLog = LogRateLimiter(perSecond: configuration.stageLogLinesPerSecond)
        router = Routes.make(services: services)
    }

    /// Binds and starts accepting; returns the bound port.
    package func start() throws(UVError) -> Int {
        let listener = try Listener(
            loop: loop, host: configuration.host, port: configuration.port,
            maxConnections: configuration.maxConnections,
            maxConnectionsPerAddress: configuration.maxConnectionsPerClient
        ) { [unowned self] connection in accept(connection) }
        self.listener = listener
        let timer = try LoopTimer(loop: loop) { [unowned self] in sweep() }
        timer.start(after: sweepInterval, repeatEvery: sweepInterval)
        sweepTimer = timer
        nextTurn = try NextTurnHook(loop: loop) { [unowned self] in resumeYielded() }
        try services.start()
        return listener.port
    }

    /// The wall clock, read from the loop; the domain is always handed `now`.
    var now: Timestamp { services.now }

    /// The `Date` header value for a response written now.
    var dateHeader: String { dates.current(at: now) }

    /// Counters for tests and diagnostics.
    package var openConnections: Int { listener?.openConnections ?? 0 }
    package var refusedConnections: Int { listener?.refusedConnections ?? 0 }

    /// Stops accepting, ends event streams, lets requests in flight finish (at most the grace
    /// period), closes every handle, then calls `completion` so the loop can be closed.
    package func shutDown(completion: @escaping () -> Void) {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        onStopped = completion
        listener?.close()
        // Every live stream gets a final `server_stopping` event and its terminator; it then
        // closes once flushed, within the drain window (and the grace period). Not before the
        // changes already applied have settled, so a subscriber hears the events of every write
        // that is acknowledged.
        let events = services.events
        services.durability.whenSettled { _ in events.closeAll() }
        for connection in connections.values { connection.shutdownBegan() }
        let grace = try? LoopTimer(loop: loop) { [unowned self] in
            for connection in connections.values { connection.transport.close() }
        }
        grace?.start(after: configuration.shutdownGraceMilliseconds)
        graceTimer = grace
        finishShutdownIfDrained()
    }

    private var sweepInterval: UInt64 {
        let shortest = min(
            configuration.headerTimeoutMilliseconds, configuration.idleTimeoutMilliseconds,
            configuration.bodyTimeoutMilliseconds, configuration.writeTimeoutMilliseconds)
        return max(10, min(1000, shortest / 4))
    }

    private func accept(_ connection: Connection) {
        let http = open(connection)
        connection.delegate = http
        connection.startReading()
    }

    /// Starts serving HTTP over `transport`; the caller delivers its events to the result.
    func open(_ transport: any Transport) -> HTTPConnection {
        let http = HTTPConnection(server: self, transport: transport)
        connections[ObjectIdentifier(http)] = http
        return http
    }

    func forget(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
        finishShutdownIfDrained()
    }

    /// `connection` used up its turn: it is resumed on the next loop iteration, after this
    /// iteration's I/O callbacks, so every other ready connection goes first.
    func yieldTurn(_ connection: HTTPConnection) {
        if yielded.isEmpty { nextTurn?.start() }
        yielded.append(connection)
    }

    /// Gives every connection that yielded its next turn; the next-turn hook's job.
    func resumeYielded() {
        var due: [HTTPConnection] = []
        swap(&due, &yielded)
        for connection in due { connection.resumeAfterYield() }
        if yielded.isEmpty { nextTurn?.stop() }
    }

    /// Times out every connection whose deadline passed, and forgets expired failed logins; the
    /// sweep timer's job.
    func sweep() {
        let now = clock.now
        for connection in connections.values where connection.deadline <= now {
            connection.timedOut(now: now)
        }
        loginThrottle.tidy(now: now)
    }

    private func finishShutdownIfDrained() {
        guard isShuttingDown, connections.isEmpty, let completion = onStopped else { return }
        onStopped = nil
        sweepTimer?.close()
        graceTimer?.close()
        nextTurn?.close()
        services.stop()
        completion()
    }
}
