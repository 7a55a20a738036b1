import Foundation
import PipelineClient
import TestSupport

/// A started child process with its output collected line by line; its exit is awaited on a
/// thread of its own, never by blocking a thread of the cooperative pool.
final class ChildProcess: Sendable {
    let process: SpawnedProcess
    let stdout: LineCollector
    let stderr: LineCollector

    /// Launches `executable`; `stdin` (if any) is written and closed at once. With `terminal`,
    /// its standard output is a pseudo-terminal (so it behaves as it does for a person).
    init(
        _ executable: URL, _ arguments: [String], environment: [String: String], stdin: Data? = nil,
        terminal: Bool = false
    ) throws {
        let output = terminal ? try PseudoTerminal() : nil
        let process = try SpawnedProcess(
            executable.path, arguments, environment: environment, standardInput: .pipe,
            standardOutput: output.map { .fileHandle($0.childEnd) } ?? .pipe, standardError: .pipe)
        // The parent's copy of the terminal's child end must be closed, or end of file never comes.
        try output?.childEnd.close()
        if let stdin { process.standardInput!.write(stdin) }
        try process.standardInput!.close()
        self.process = process
        self.stdout = LineCollector(
            output?.parentEnd ?? process.standardOutput!, name: "\(executable.lastPathComponent) stdout")
        self.stderr = LineCollector(process.standardError!, name: "\(executable.lastPathComponent) stderr")
    }

    /// The exit status, once the process has ended.
    func exitStatus() async -> Int32 { await process.waitForExit() }

    /// Sends SIGINT (what Ctrl-C sends).
    func interrupt() { process.send(SIGINT) }

    /// Sends SIGTERM unless the process already ended.
    func terminate() { process.terminate() }

    /// Sends SIGKILL unless the process already ended (it cannot be blocked or ignored).
    func kill() { process.send(SIGKILL) }
}

/// What one run of the `pipeline` CLI produced.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output without its final newline, for exact comparisons.
    var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }

    /// Standard output parsed as one JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs the built `pipeline` binary to completion, with no `PIPELINE_*` variable inherited except
/// those in `environment`; it is killed if it runs longer than `limit` seconds.
func runPipeline(
    _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], limit: Double = 60,
    terminal: Bool = false
) async throws -> CLIResult {
    let child = try startPipeline(arguments, stdin: stdin, environment: environment, terminal: terminal)
    let watchdog = Task {
        try await Task.sleep(for: .seconds(limit))
        child.kill()
    }
    defer { watchdog.cancel() }
    let status = await child.exitStatus()
    return CLIResult(status: status, stdout: try await child.stdout.all(), stderr: try await child.stderr.all())
}

/// Runs the built `pipeline` binary with its standard output on a pseudo-terminal, as a person at
/// a terminal would; standard error stays a pipe, so the two can be told apart.
func runPipelineInTerminal(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIResult {
    try await runPipeline(arguments, environment: environment, terminal: true)
}

/// Starts the built `pipeline` binary and leaves it running (for `watch`).
func startPipeline(
    _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], terminal: Bool = false
) throws -> ChildProcess {
    guard let pipeline = Binaries.pipeline else {
        throw HarnessError("the pipeline binary was not found next to the test bundle; run `swift build` first")
    }
    let environment = Binaries.cleanEnvironment.merging(environment) { $1 }
    return try ChildProcess(pipeline, arguments, environment: environment, stdin: stdin, terminal: terminal)
}

/// The keys of a JSON object text in the order they appear (the API fixes that order).
func topLevelKeys(_ text: String) -> [String] {
    let bytes = Array(text.utf8)
    return (JSONSyntax.objectMembers(bytes) ?? []).map {
        String(decoding: bytes[$0.key].dropFirst().dropLast(), as: UTF8.self)
    }
}

/// `text` without JSON's insignificant whitespace (outside strings), so two outputs compare
/// exactly in members, order and values whether the server writes `{"a": 1}` or `{"a":1}`.
func withoutInsignificantWhitespace(_ text: String) -> String {
    var result = ""
    var inString = false
    var escaped = false
    for character in text {
        if inString {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
            result.append(character)
        } else if character == "\"" {
            inString = true
            result.append(character)
        } else if !character.isWhitespace {
            result.append(character)
        }
    }
    return result
}
