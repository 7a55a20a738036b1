import Logging
import UVLoop

/// Runs the server as the process's main job: loop on the calling thread, SIGINT/SIGTERM for a
/// graceful stop. Kept here so `main.swift` stays a few lines.
package enum ServerProcess {
    /// Why the server could not start: each is a runtime failure (exit status 1), not a usage error.
    package enum StartError: Error, CustomStringConvertible {
        case defaultCredentialsBeyondLoopback(host: String)
        /// Binding or listening failed, e.g. the port is already in use.
        case listen(address: String, UVError)
        case loop(UVError)

        package var description: String {
            switch self {
            case .defaultCredentialsBeyondLoopback(let host):
                "refusing to listen on \(host) with the demo account admin/admin: set PIPELINE_USERNAME and "
                    + "PIPELINE_PASSWORD (or --credentials-file), or pass --allow-default-credentials"
            case .listen(let address, let error):
                "cannot listen on \(address): \(error.reason) (\(error.name))"
            case .loop(let error): error.description
            }
        }
    }

    /// Blocks until the server stopped; `onListening` receives the URL once the port is bound, and
    /// `beforePoll` runs once per loop iteration before the loop waits (to flush batched output).
    package static func run(
        _ configuration: ServerConfiguration, logger: Logger, onListening: (String) -> Void,
        beforePoll: @escaping () -> Void = {}
    ) throws(StartError) {
        if configuration.credentials.isDemo {
            guard configuration.bindsLoopbackOnly || configuration.allowDefaultCredentials else {
                throw .defaultCredentialsBeyondLoopback(host: configuration.host)
            }
            logger.warning("using the demo account admin/admin; set PIPELINE_USERNAME and PIPELINE_PASSWORD")
        }
        let loop: Loop
        do throws(UVError) { loop = try Loop() } catch { throw .loop(error) }
        let server = Server(loop: loop, configuration: configuration, logger: logger)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let port: Int
        do throws(UVError) {
            port = try server.start()
        } catch {
            throw .listen(address: "\(host):\(configuration.port)", error)
        }
        onListening("http://\(host):\(port)")
        do throws(UVError) {
            try serve(loop: loop, server: server, logger: logger, beforePoll: beforePoll)
        } catch {
            throw .loop(error)
        }
    }

    /// Runs the loop until a signal has stopped the server and every handle is closed.
    private static func serve(
        loop: Loop, server: Server, logger: Logger, beforePoll: @escaping () -> Void
    ) throws(UVError) {
        let flusher = try BeforePollHook(loop: loop, action: beforePoll)
        var signals: SignalWatcher?
        signals = try SignalWatcher(loop: loop) { signal in
            logger.info("shutting down", metadata: ["signal": "\(signal)"])
            server.shutDown {
                flusher.close()
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
