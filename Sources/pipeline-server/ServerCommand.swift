import ArgumentParser
import Glibc
import Logging
import PipelineServer
import Pipelines
import SQLiteStore

/// `pipeline-server`: flags (with PIPELINE_* environment fallbacks) → configuration → run.
@main
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-server",
        abstract: "Serves the pipeline API over HTTP/1.1.",
        discussion: """
            State lives in a durable embedded store in the data directory (--data-dir, default \
            ./pipeline-data): every write is answered only once it is on disk, and a restart \
            continues where the server stopped. --in-memory keeps state in memory only, lost when \
            the server stops (tests and demos). The server records and schedules stages; executors \
            report each stage's result over the API.
            """,
        subcommands: [BackupCommand.self])

    @Option(help: "Address to listen on (env PIPELINE_HOST).")
    var host: String = env("PIPELINE_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (env PIPELINE_PORT).")
    var port: Int = env("PIPELINE_PORT").flatMap { Int($0) } ?? 8080

    @Option(help: "Directory of the durable store; default ./pipeline-data (env PIPELINE_DATA_DIR).")
    var dataDir: String?

    @Flag(help: "Keep state in memory only: lost when the server stops (tests and demos).")
    var inMemory = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (env PIPELINE_LOG_LEVEL).")
    var logLevel: String = env("PIPELINE_LOG_LEVEL") ?? "info"

    @Option(help: "File holding one line `username:password` for the API account.")
    var credentialsFile: String?

    @Flag(help: "Allow the demo account admin/admin on a non-loopback address.")
    var allowDefaultCredentials = false

    @Option(help: "Most open connections; more are closed at once.")
    var maxConnections = 10_000

    @Option(help: "Most open connections from one client address; more are closed at once.")
    var maxConnectionsPerClient = 256

    @Option(help: "Seconds to receive a request head (slowloris guard).")
    var headerTimeout: Double = 10

    @Option(help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds a request body may take in total, from its head.")
    var bodyTimeout: Double = 30

    @Option(help: "Bytes per second a request body must average once the grace has passed; 0 off.")
    var minBodyRate: UInt64 = 1024

    @Option(help: "Seconds a request body may take before --min-body-rate applies.")
    var bodyRateGrace: Double = 5

    @Option(help: "Seconds queued output may go unread before the connection is closed.")
    var writeTimeout: Double = 30

    @Option(help: "Seconds in-flight requests get on SIGINT/SIGTERM.")
    var shutdownGrace: Double = 10

    @Option(help: "Most runs active at once; more triggers get 503 with Retry-After.")
    var maxActiveRuns = 100_000

    @Option(help: "Seconds between heartbeat comments on event streams.")
    var eventHeartbeat: Double = 15

    @Option(help: "Most event streams open at once from one client address; more get 429.")
    var maxSubscribersPerAddress = 32

    @Option(help: "stage_started log lines per second; the rest are counted in one line a second (0: no limit).")
    var stageLogRate = 1_000

    @Option(
        help: ArgumentHelp(
            "Failed logins one client address may make per --failed-login-window; the last gets 429 (0: off).",
            discussion: "A throttled address gets 429 with Retry-After on every /v1 request, for 1 s, doubling "
                + "with each further throttle up to 5 minutes; a correct login afterwards resets it."))
    var maxFailedLogins = 10

    @Option(help: "Seconds within which --max-failed-logins failures throttle an address.")
    var failedLoginWindow: Double = 60

    @Option(help: "Access log: 0 off, 1 every request, N one in N (env PIPELINE_ACCESS_LOG).")
    var accessLog: Int = env("PIPELINE_ACCESS_LOG").flatMap { Int($0) } ?? 0

    @Option(
        help: ArgumentHelp(
            "A host name (no port) requests may name in Host besides the loopback names; repeatable.",
            discussion: "Bound to loopback, only loopback names are accepted unless names are added; bound "
                + "elsewhere, any Host is accepted unless names are given. Others get 421."))
    var allowedHost: [String] = []

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { _ in LineLogHandler() }
        var logger = Logger(label: "pipeline")
        logger.logLevel = level
        var settings = ServerConfiguration()
        settings.host = host
        settings.port = port
        settings.maxConnections = maxConnections
        settings.maxConnectionsPerClient = maxConnectionsPerClient
        settings.headerTimeoutMilliseconds = milliseconds(headerTimeout)
        settings.idleTimeoutMilliseconds = milliseconds(idleTimeout)
        settings.bodyTimeoutMilliseconds = milliseconds(bodyTimeout)
        settings.minBodyRate = minBodyRate
        settings.bodyRateGraceMilliseconds = milliseconds(bodyRateGrace)
        settings.writeTimeoutMilliseconds = milliseconds(writeTimeout)
        settings.shutdownGraceMilliseconds = milliseconds(shutdownGrace)
        settings.heartbeatMilliseconds = milliseconds(eventHeartbeat)
        guard maxActiveRuns > 0 else { throw ValidationError("--max-active-runs must be at least 1") }
        settings.maxActiveRuns = maxActiveRuns
        settings.allowDefaultCredentials = allowDefaultCredentials
        settings.accessLogSampling = accessLog
        settings.allowedHosts = allowedHost
        guard maxSubscribersPerAddress > 0 else {
            throw ValidationError("--max-subscribers-per-address must be at least 1")
        }
        settings.maxSubscribersPerAddress = maxSubscribersPerAddress
        guard stageLogRate >= 0 else { throw ValidationError("--stage-log-rate must be 0 (no limit) or more") }
        settings.stageLogLinesPerSecond = stageLogRate
        guard maxFailedLogins >= 0 else { throw ValidationError("--max-failed-logins must be 0 (off) or more") }
        settings.maxFailedLogins = maxFailedLogins
        settings.failedLoginWindowMilliseconds = milliseconds(failedLoginWindow)
        do throws(CredentialsSource.Failure) {
            settings.credentials = try CredentialsSource.load(file: credentialsFile)
        } catch {
            throw Self.startupFailure(error.description)
        }
        if inMemory && dataDir != nil { throw ValidationError("--in-memory and --data-dir exclude each other") }
        let directory = inMemory ? nil : dataDir ?? env("PIPELINE_DATA_DIR") ?? "./pipeline-data"
        defer { LogSink.shared.flush() }
        do {
            try ServerProcess.run(
                settings, logger: logger, openStore: directory.map(Self.storeOpener),
                onListening: { url in
                    print("listening on \(url) (\(Self.stateLocation(directory)))")
                    fflush(nil)  // flush every stream: stdout may be a pipe
                }, beforePoll: { LogSink.shared.flush() })
        } catch {
            throw Self.startupFailure(error.description)
        }
    }

    /// A start-up failure is not a usage mistake: one sentence on standard error, no usage text,
    /// status 1 (usage errors keep ArgumentParser's 64).
    private static func startupFailure(_ sentence: String) -> ExitCode {
        LogSink.shared.flush()
        var message = "pipeline-server: \(sentence)\n"
        _ = message.withUTF8 { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return ExitCode.failure
    }

    /// Said on the start-up line, so whoever starts the server knows what a restart keeps.
    static func stateLocation(_ directory: String?) -> String {
        directory.map { "state in \($0)" } ?? "state in memory: lost when the server stops"
    }

    /// Opens the embedded store in `directory`, handing its completions to the loop.
    static func storeOpener(_ directory: String) -> ServerProcess.StoreOpener {
        { loop throws(StoreFailure) in
            do throws(StoreError) {
                return try SQLiteStore(directory: directory, deliver: { loop.execute($0) })
            } catch {
                throw StoreFailure(isRetryable: error.isRetryable, detail: error.message)
            }
        }
    }

    private func milliseconds(_ seconds: Double) -> UInt64 { UInt64(max(0.001, seconds) * 1000) }
}

func env(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
