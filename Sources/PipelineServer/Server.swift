import HTTP1
import Logging
import Pipelines
import UVLoop

/// The HTTP server: accepts connections on the loop, enforces their timeouts with one sweep
/// timer, routes requests, and shuts down gracefully.
///
/// Thread: loop thread only; created and started there.
package final class Server {
    let loop: Loop
    let configuration: ServerConfiguration
    let logger: Logger
    var accessLog: AccessLog
    var dates = DateCache()
    let authenticator: Authenticator
    let services: Services
    private(set) var router = Router()
    private var listener: Listener?
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var sweepTimer: LoopTimer?
    private var graceTimer: LoopTimer?
    private(set) var isShuttingDown = false
    private var onStopped: (() -> Void)?

    /// A server on `loop`; with a `store`, every change is made durable there before anyone sees it.
    package init(loop: Loop, configuration: ServerConfiguration, logger: Logger, store: (any Store)? = nil) {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
        accessLog = AccessLog(logger: logger, sampling: configuration.accessLogSampling)
        authenticator = Authenticator(credentials: configuration.credentials)
        services = Services(
            loop: loop, logger: logger, heartbeatMilliseconds: configuration.heartbeatMilliseconds,
            runBook: RunBook(maxActiveRuns: configuration.maxActiveRuns), store: store)
        router = Routes.make(services: services)
    }

    /// Binds and starts accepting; returns the bound port.
    package func start() throws(UVError) -> Int {
        let listener = try Listener(
            loop: loop, host: configuration.host, port: configuration.port,
            maxConnections: configuration.maxConnections
        ) { [unowned self] connection in accept(connection) }
        self.listener = listener
        let timer = try LoopTimer(loop: loop) { [unowned self] in sweep() }
        timer.start(after: sweepInterval, repeatEvery: sweepInterval)
        sweepTimer = timer
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
        // closes once flushed, within the drain window (and the grace period).
        services.events.closeAll()
        for connection in connections.values {
            switch connection.phase {
            case .idle: connection.connection.close()
            case .streaming: break
            case .readingHead, .readingBody: connection.closeAfterResponse = true
            }
        }
        let grace = try? LoopTimer(loop: loop) { [unowned self] in
            for connection in connections.values { connection.connection.close() }
        }
        grace?.start(after: configuration.shutdownGraceMilliseconds)
        graceTimer = grace
        finishShutdownIfDrained()
    }

    private var sweepInterval: UInt64 {
        let shortest = min(configuration.headerTimeoutMilliseconds, configuration.idleTimeoutMilliseconds,
                           configuration.bodyTimeoutMilliseconds)
        return max(10, min(1000, shortest / 4))
    }

    private func accept(_ connection: Connection) {
        let http = HTTPConnection(server: self, connection: connection)
        connections[ObjectIdentifier(http)] = http
        connection.delegate = http
        connection.startReading()
    }

    func forget(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
        finishShutdownIfDrained()
    }

    private func sweep() {
        let now = loop.now
        for connection in connections.values where connection.deadline <= now {
            connection.timedOut()
        }
    }

    private func finishShutdownIfDrained() {
        guard isShuttingDown, connections.isEmpty, let completion = onStopped else { return }
        onStopped = nil
        sweepTimer?.close()
        graceTimer?.close()
        services.stop()
        completion()
    }
}
