import HTTP1

/// Everything the server can be told at start, with the defaults documented in the README.
/// Each bound here is one of the server's published limits.
package struct ServerConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 8080
    /// Open connections past this are accepted and closed at once (and counted).
    package var maxConnections = 10_000
    /// Open connections from one client address past this are accepted and closed at once, so
    /// one client cannot take every slot of `maxConnections`.
    package var maxConnectionsPerClient = 256
    /// A request head must arrive completely within this time (slowloris guard).
    package var headerTimeoutMilliseconds: UInt64 = 10_000
    /// A keep-alive connection with no request in progress is closed after this time.
    package var idleTimeoutMilliseconds: UInt64 = 60_000
    /// A request body must be complete within this of its head (a total, not per byte).
    package var bodyTimeoutMilliseconds: UInt64 = 30_000
    /// A body slower than this many bytes per second (averaged, after the grace below) is cut off
    /// with 408, so a drip cannot hold a connection for the whole body timeout; 0 turns it off.
    package var minBodyRate: UInt64 = 1024
    /// How long a body may take before the rate floor applies (a slow start is not an attack).
    package var bodyRateGraceMilliseconds: UInt64 = 5_000
    /// Queued output must make progress at least this often: a client that does not read its
    /// responses is closed rather than holding its connection and output.
    package var writeTimeoutMilliseconds: UInt64 = 30_000
    /// On SIGINT/SIGTERM, requests in flight get this long before their connections are closed.
    package var shutdownGraceMilliseconds: UInt64 = 10_000
    /// Runs queued or running at once; a trigger or retry past it is answered 503 + `Retry-After`.
    package var maxActiveRuns = 100_000
    /// Event streams get a comment line this often, so proxies and clients see the stream alive.
    package var heartbeatMilliseconds: UInt64 = 15_000
    /// Event streams open at once from one client address; another is answered 429 +
    /// `Retry-After`, so one client cannot take the fan-out's time and memory from everyone.
    package var maxSubscribersPerAddress = 32
    /// `stage_started` log lines per second (and their burst); the rest are counted in one
    /// `log_lines_suppressed` line a second. 0: no limit.
    package var stageLogLinesPerSecond = 1_000
    /// Failed logins (wrong or malformed credentials) one client address may make within
    /// `failedLoginWindowMilliseconds`; the last of them throttles it: 429 on every `/v1` request
    /// for 1 s, doubling with each further throttle up to 5 minutes (`LoginThrottle`). 0: off.
    package var maxFailedLogins = 10
    package var failedLoginWindowMilliseconds: UInt64 = 60_000
    /// Client addresses whose failed logins are counted at once; a full table forgets the least
    /// recently failing, so rotating addresses cannot grow it.
    package var failedLoginAddresses = 10_000
    package var limits = HTTPLimits.standard
    package var credentials = Credentials.demo
    /// Allows the demo account on a non-loopback address (off: the server refuses to start).
    package var allowDefaultCredentials = false
    /// Access log: 0 = off, 1 = every request, N = one request in N.
    package var accessLogSampling = 0
    /// Host names (without port) a request's `Host` may carry besides the loopback names; see
    /// `BrowserSafety.acceptsHost` for the rule, which is what defeats DNS rebinding.
    package var allowedHosts: [String] = []

    package init() {}

    /// The deadlines a connection's state machine enforces. An ended event stream's last frames
    /// get `EventStreamSink.drainMilliseconds`, or the idle timeout if shorter.
    var connectionTimeouts: ConnectionStateMachine<HTTPConnection.Outgoing>.Timeouts {
        .init(
            head: headerTimeoutMilliseconds, body: bodyTimeoutMilliseconds, idle: idleTimeoutMilliseconds,
            write: writeTimeoutMilliseconds, drain: min(EventStreamSink.drainMilliseconds, idleTimeoutMilliseconds),
            minBodyRate: minBodyRate, bodyGrace: bodyRateGraceMilliseconds)
    }

    /// True for addresses only this machine can reach.
    package var bindsLoopbackOnly: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }
}
