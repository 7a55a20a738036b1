import Foundation

/// A real `pipeline-server` on 127.0.0.1 with a port the kernel picked and in-memory state, so
/// every test gets its own empty server. Stop it with `stop()` (a `defer` right after starting).
struct TestServer: Sendable {
    /// `http://127.0.0.1:PORT` as printed in the server's `listening on` line.
    let baseURL: String
    private let child: ChildProcess
    private let dataDirectory: URL?

    /// The demo account the server enables when no credentials are configured.
    static let credentials = ["--username", "admin", "--password", "admin"]

    /// Starts the server and waits for its `listening on http://HOST:PORT` line.
    static func start() async throws -> TestServer {
        guard let server = Binaries.server else {
            throw HarnessError(
                "pipeline-server was not found next to the test bundle (\(Binaries.directory?.path ?? "no build directory")); "
                    + "build it with `swift build` (swift test builds it too) or set PIPELINE_TEST_SERVER")
        }
        let (flags, dataDirectory) = try await StorageFlags.shared.flags(server)
        let child = try ChildProcess(
            server, ["--host", "127.0.0.1", "--port", "0"] + flags, environment: Binaries.cleanEnvironment)
        do {
            let line = try await child.stdout.line(containing: "listening on ", within: 30)
            let url =
                line.components(separatedBy: "listening on ").last!.split(separator: " ").first.map(String.init) ?? ""
            return TestServer(baseURL: url, child: child, dataDirectory: dataDirectory)
        } catch {
            child.kill()
            throw error
        }
    }

    /// Kills the server and removes its temporary data. SIGKILL: a graceful stop is not under
    /// test here.
    func stop() {
        child.kill()
        if let dataDirectory { try? FileManager.default.removeItem(at: dataDirectory) }
    }

    /// `--base-url` and the demo credentials, for commands run some other way than `pipeline(_:)`.
    var flags: [String] { ["--base-url", baseURL] + Self.credentials }

    /// Runs the CLI against this server with the demo credentials.
    func pipeline(_ arguments: [String], stdin: Data? = nil) async throws -> CLIResult {
        try await runPipeline(arguments + flags, stdin: stdin)
    }
}

/// Chooses how the test server keeps its state, from what its `--help` offers: `--in-memory`
/// (API.md), else a fresh temporary `--data-dir`, else nothing (a build without a store). The
/// default data directory is never used: it would write into the working directory.
private actor StorageFlags {
    static let shared = StorageFlags()
    private var help: String?

    func flags(_ server: URL) async throws -> (flags: [String], dataDirectory: URL?) {
        if help == nil {
            let child = try ChildProcess(server, ["--help"], environment: Binaries.cleanEnvironment)
            _ = await child.exitStatus()
            help = try await child.stdout.all() + child.stderr.all()
        }
        if help!.contains("--in-memory") { return (["--in-memory"], nil) }
        if help!.contains("--data-dir") {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pipeline-cli-tests-\(UUID())")
            return (["--data-dir", directory.path], directory)
        }
        return ([], nil)
    }
}
