import Foundation

/// A real `pipeline-server` on 127.0.0.1 with a port the kernel picked and in-memory state, so
/// every test gets its own empty server. Stop it with `stop()` (a `defer` right after starting).
struct TestServer: Sendable {
    /// `http://127.0.0.1:PORT` as printed in the server's `listening on` line.
    let baseURL: String
    private let child: ChildProcess

    /// The demo account the server enables when no credentials are configured.
    static let credentials = ["--username", "admin", "--password", "admin"]

    /// Starts the server and waits for its `listening on http://HOST:PORT` line.
    static func start() async throws -> TestServer {
        guard let server = Binaries.server else { throw HarnessError("pipeline-server was not built") }
        let child = try ChildProcess(
            server, ["--host", "127.0.0.1", "--port", "0", "--in-memory"], environment: Binaries.cleanEnvironment)
        do {
            let line = try await child.stdout.line(containing: "listening on ", within: 30)
            let url = line.components(separatedBy: "listening on ").last!.trimmingCharacters(in: .whitespaces)
            return TestServer(baseURL: url, child: child)
        } catch {
            child.terminate()
            throw error
        }
    }

    /// Stops the server (SIGTERM); does not wait.
    func stop() { child.terminate() }

    /// Runs the CLI against this server with the demo credentials.
    func pipeline(_ arguments: [String], stdin: Data? = nil) async throws -> CLIResult {
        try await runPipeline(arguments + ["--base-url", baseURL] + Self.credentials, stdin: stdin)
    }
}
