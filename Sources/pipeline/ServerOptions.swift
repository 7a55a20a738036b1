import ArgumentParser
import Foundation
import PipelineClient

/// The flags every command shares: where the server is and who we are.
struct ServerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Server base URL.",
            discussion: "Default: $PIPELINE_URL, else base_url in the config file, else http://127.0.0.1:8080."))
    var baseURL: String?

    @Option(
        name: [.customShort("u"), .long],
        help: ArgumentHelp(
            "User name for HTTP Basic authentication.",
            discussion: "Default: $PIPELINE_USERNAME, else username in the config file."))
    var username: String?

    @Option(help: ArgumentHelp("Password for HTTP Basic authentication.", discussion: "Default: $PIPELINE_PASSWORD."))
    var password: String?

    @Flag(help: "Read the password from the first line of standard input (keeps it out of history and ps).")
    var passwordStdin = false

    @Option(help: "Seconds to wait for the server's answer.")
    var timeout: Double = 30

    func validate() throws {
        if passwordStdin, password != nil {
            throw ValidationError("give either --password or --password-stdin, not both")
        }
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
    }

    /// Builds the client from flags, environment and config file, or throws a usage error naming
    /// what is missing.
    func makeAPI(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> PipelineAPI {
        let stdinPassword = passwordStdin ? try Self.readPassword() : nil
        let settings = try await Settings.resolve(
            baseURL: baseURL, username: username, password: stdinPassword ?? password, environment: environment)
        guard let url = PipelineAPI.parseBaseURL(settings.baseURL) else {
            throw Outcome.usageError("'\(settings.baseURL)' is not an http:// or https:// base URL")
        }
        guard let username = settings.username, let password = settings.password else {
            throw Outcome.usageError(
                "missing credentials: pass --username and --password (or --password-stdin), "
                    + "or set PIPELINE_USERNAME and PIPELINE_PASSWORD")
        }
        return PipelineAPI(
            baseURL: url, credentials: BasicCredentials(username: username, password: password), timeout: timeout)
    }

    /// Runs one request and prints its answer (through `view` on a terminal); the shared body of
    /// every non-streaming command.
    func perform(
        _ terminal: Terminal = .detect(json: false),
        view: ((APIResponse, PipelineAPI, Terminal) async -> String?)? = nil,
        _ request: (PipelineAPI) async throws(ClientError) -> APIResponse
    ) async throws {
        let api = try await makeAPI()
        let response = try await RunFollower.request { () throws(ClientError) in try await request(api) }
        try await Outcome.emit(
            response, terminal: terminal, view: view.map { view in { await view($0, api, terminal) } })
    }

    private static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw Outcome.usageError("--password-stdin: standard input held no password")
        }
        return line
    }
}

/// `--json`, for the commands that have a terminal view.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the server's JSON even when standard output is a terminal.")
    var json = false

    /// How this command's output should look.
    var terminal: Terminal { .detect(json: json) }
}
