import ArgumentParser
import Foundation
import PipelineClient

/// The flags every command shares: where the server is and who we are.
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Server base URL.", discussion: "Default: $PIPELINE_URL, else http://127.0.0.1:8080."))
    var baseURL: String?

    @Option(help: ArgumentHelp("User name for HTTP Basic authentication.", discussion: "Default: $PIPELINE_USERNAME."))
    var username: String?

    @Option(help: ArgumentHelp("Password for HTTP Basic authentication.", discussion: "Default: $PIPELINE_PASSWORD."))
    var password: String?

    @Option(help: "Seconds to wait for the server's answer.")
    var timeout: Double = 30

    /// Builds the client from flags and environment, or throws a usage error naming what is missing.
    func makeAPI(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PipelineAPI {
        let urlText = baseURL ?? environment["PIPELINE_URL"] ?? "http://127.0.0.1:8080"
        guard let url = PipelineAPI.parseBaseURL(urlText) else {
            throw Outcome.usageError("'\(urlText)' is not an http:// or https:// base URL")
        }
        guard let username = username ?? environment["PIPELINE_USERNAME"],
              let password = password ?? environment["PIPELINE_PASSWORD"]
        else {
            throw Outcome.usageError(
                "missing credentials: pass --username and --password, or set PIPELINE_USERNAME and PIPELINE_PASSWORD")
        }
        guard timeout > 0, timeout.isFinite else {
            throw Outcome.usageError("--timeout must be a positive number of seconds")
        }
        return PipelineAPI(
            baseURL: url, credentials: BasicCredentials(username: username, password: password), timeout: timeout)
    }

    /// Runs one request and prints its answer; the shared body of every non-streaming command.
    func perform(_ request: (PipelineAPI) async throws(ClientError) -> APIResponse) async throws {
        let api = try makeAPI()
        let response: APIResponse
        do {
            response = try await request(api)
        } catch {
            throw Outcome.unreachable(error)
        }
        try Outcome.emit(response)
    }
}

/// Reads the `--data` argument: inline JSON, `@file.json`, or `-` for standard input.
enum DocumentInput {
    /// Answers the bytes to send, after checking locally that they are one JSON value.
    static func read(_ argument: String) throws -> Data {
        let source: String
        let data: Data
        if argument == "-" {
            source = "standard input"
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            source = path
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw Outcome.usageError("cannot read --data file '\(path)': \(error.localizedDescription)")
            }
        } else {
            source = "--data"
            data = Data(argument.utf8)
        }
        do {
            try JSONSyntax.validate([UInt8](data))
        } catch {
            throw Outcome.usageError("invalid JSON in \(source) at \(error); nothing was sent")
        }
        return data
    }
}
