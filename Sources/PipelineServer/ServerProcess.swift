import Logging
import Pipelines
import UVLoop

/// Runs the server as the process's main job: loop on the calling thread, SIGINT/SIGTERM for a
/// graceful stop. Kept here so `main.swift` stays a few lines.
package enum ServerProcess {
    /// Why the server could not start: each is a runtime failure (exit status 1), not a usage error.
    package enum StartError: Error, CustomStringConvertible {
        case defaultCredentialsBeyondLoopback(host: String)
        /// An account with an empty username or password: anyone could send it (`Basic Og==`).
        case emptyCredentials
        /// A username with `:`: HTTP Basic splits `username:password` at the first one, so no
        /// client could ever send that account (RFC 7617 §2).
        case colonInUsername
        /// Binding or listening failed, e.g. the port is already in use.
        case listen(address: String, UVError)
        case loop(UVError)
        /// The store could not be opened or read (in use, damaged, newer than this binary, …).
        case store(StoreFailure)

        package var description: String {
            switch self {
            case .defaultCredentialsBeyondLoopback(let host):
                "refusing to listen on \(host) with the demo account admin/admin: set PIPELINE_USERNAME and "
                    + "PIPELINE_PASSWORD (or --credentials-file), or pass --allow-default-credentials"
            case .emptyCredentials:
                "refusing to start with an empty username or password: give the account both"
            case .colonInUsername:
                "refusing to start with a ':' in the username: HTTP Basic cannot carry it (a password may have one)"
            case .listen(let address, let error):
                "cannot listen on \(address): \(error.reason) (\(error.name))"
            case .loop(let error): error.description
            case .store(let failure): failure.detail
            }
        }
    }

    /// Opens the store of a durable server; it is given the loop so it can hand its completions
    /// to it (`Loop.execute`).
    package typealias StoreOpener = (Loop) throws(StoreFailure) -> any Store

    /// Blocks until the server stopped; `onListening` receives the URL once the port is bound, and
    /// `beforePoll` runs once per loop iteration before the loop waits (to flush batched output).
    /// With `openStore`, the state the store holds is restored before the port is bound, and the
    /// store is closed (everything queued written) after the loop has stopped.
    package static func run(
        _ configuration: ServerConfiguration, logger: Logger, openStore: StoreOpener? = nil,
        onListening: (String) -> Void, beforePoll: @escaping () -> Void = {}
    ) throws(StartError) {
        if configuration.credentials.username.isEmpty || configuration.credentials.password.isEmpty {
            throw .emptyCredentials
        }
        if configuration.credentials.username.contains(UInt8(ascii: ":")) {
            throw .colonInUsername
        }
        if configuration.credentials.isDemo {
            guard configuration.bindsLoopbackOnly || configuration.allowDefaultCredentials else {
                throw .defaultCredentialsBeyondLoopback(host: configuration.host)
            }
            logger.warning("using the demo account admin/admin; set PIPELINE_USERNAME and PIPELINE_PASSWORD")
        }
        let loop: Loop
        do throws(UVError) { loop = try Loop() } catch { throw .loop(error) }
        loop.claimCurrentThread()  // this thread runs the loop: restoring below counts as on it
        let store: (any Store)?
        let state: StoredState?
        do throws(StoreFailure) {
            store = try openStore?(loop)
            state = try store?.recover(recentEvents: EventLog.defaultCapacity)
        } catch {
            abandon(loop)
            throw .store(error)
        }
        defer { store?.close() }
        let server = Server(loop: loop, configuration: configuration, logger: logger, store: store)
        if let state { server.services.registry.assumeIsolated { $0.restore(state) } }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let port: Int
        do throws(UVError) {
            port = try server.start()
        } catch {
            abandon(loop)
            throw .listen(address: "\(host):\(configuration.port)", error)
        }
        onListening("http://\(host):\(port)")
        if let state {
            logger.info(
                "state restored",
                metadata: [
                    "pipelines": "\(state.pipelines.count)", "runs": "\(state.runs.count)",
                    "last_event_id": "\(state.counters.eventSequence)",
                ])
        }
        do throws(UVError) {
            try serve(loop: loop, server: server, logger: logger, beforePoll: beforePoll)
        } catch {
            throw .loop(error)
        }
    }

    /// Lets the handles a failed start opened (the loop's wake-up, a listener that could not
    /// bind) finish closing, and frees the loop: a start-up failure exits with nothing leaked.
    private static func abandon(_ loop: Loop) {
        loop.shutDownWakeup()
        loop.run()
        _ = loop.close()
    }

    /// Runs the loop until a signal has stopped the server and every handle is closed; memory
    /// that bursts of buffered output leave behind is given back meanwhile (`HeapTrimmer`).
    private static func serve(
        loop: Loop, server: Server, logger: Logger, beforePoll: @escaping () -> Void
    ) throws(UVError) {
        let flusher = try BeforePollHook(loop: loop, action: beforePoll)
        let trimmer = try HeapTrimmer(
            loop: loop,
            onTrim: { trim in
                logger.debug(
                    "heap_trimmed",
                    metadata: ["released_bytes": "\(trim.releasedBytes)", "microseconds": "\(trim.microseconds)"])
            })
        var signals: SignalWatcher?
        signals = try SignalWatcher(loop: loop) { signal in
            logger.info("shutting down", metadata: ["signal": "\(signal)"])
            server.shutDown {
                flusher.close()
                trimmer.close()
                signals?.close()
                signals = nil
                loop.shutDownWakeup()
            }
        }
        loop.run()
        let status = loop.close()
        if status != 0 { logger.error("event loop closed with open handles", metadata: ["status": "\(status)"]) }
    }
}
