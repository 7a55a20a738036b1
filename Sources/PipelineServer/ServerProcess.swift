import Logging
import UVLoop

/// Runs the server as the process's main job: loop on the calling thread, SIGINT/SIGTERM for a
/// graceful stop. Kept here so `main.swift` stays a few lines.
package enum ServerProcess {
    package enum StartError: Error, CustomStringConvertible {
        case defaultCredentialsBeyondLoopback(host: String)
        case loop(UVError)

        package var description: String {
            switch self {
            case .defaultCredentialsBeyondLoopback(let host):
                "refusing to listen on \(host) with the demo account admin/admin: set PIPELINE_USERNAME and "
                    + "PIPELINE_PASSWORD (or --credentials-file), or pass --allow-default-credentials"
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
        do throws(UVError) {
            let loop = try Loop()
            let server = Server(loop: loop, configuration: configuration, logger: logger)
            let port = try server.start()
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            onListening("http://\(host):\(port)")
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
        } catch {
            throw .loop(error)
        }
    }
}
