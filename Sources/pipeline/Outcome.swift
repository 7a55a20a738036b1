import ArgumentParser
import Foundation
import PipelineClient

/// The documented exit codes, one per failure class (listed in `pipeline --help`), and the one
/// place that writes answers out.
enum Outcome {
    /// The server answered a non-2xx status; its body was printed (on a pipe) and explained.
    static let httpError = ExitCode(1)
    /// `--exit-status` / `trigger-pipeline --watch`: the followed run failed or was cancelled.
    static let runFailed = ExitCode(2)
    /// Bad arguments or invalid `--data`; the same code ArgumentParser uses for its own usage errors.
    static let usage = ExitCode.validationFailure
    /// No answer: connection refused, unknown host, TLS failure or timeout (sysexits EX_UNAVAILABLE).
    static let unreachable = ExitCode(69)

    /// Prints a 2xx answer (through `view` on a terminal, raw otherwise); for an error status,
    /// prints the problem JSON on a pipe, explains it on standard error, and throws `httpError`.
    static func emit(
        _ response: APIResponse, terminal: Terminal = .plain, view: ((APIResponse) async -> String?)? = nil
    ) async throws {
        if response.isSuccess {
            if terminal.isHuman, let view, let text = await view(response) {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                printBody(response.body)
            }
            return
        }
        if !terminal.isHuman { printBody(response.body) }
        let lines = ProblemReport(response).lines
        printError(lines[0], terminal: terminal)
        for line in lines.dropFirst() { FileHandle.standardError.write(Data("  \(line)\n".utf8)) }
        throw httpError
    }

    /// Writes raw bytes to stdout at once (FileHandle is unbuffered), ending them with a newline.
    static func printBody(_ body: Data) {
        guard !body.isEmpty else { return }
        var output = body
        if output.last != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\n")) }
        FileHandle.standardOutput.write(output)
    }

    /// Writes `pipeline: <message>` to standard error (the prefix in red on a colour terminal).
    static func printError(_ message: String, terminal: Terminal = .plain) {
        let prefix = terminal.coloursErrors ? Style.red.wrap("pipeline:") : "pipeline:"
        FileHandle.standardError.write(Data("\(prefix) \(message)\n".utf8))
    }

    /// Reports a usage problem found after parsing (like ArgumentParser's own) and answers the
    /// error to throw.
    static func usageError(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return usage
    }

    /// Reports a transport failure and answers the error to throw.
    static func unreachable(_ error: ClientError) -> ExitCode {
        printError(error.description)
        return unreachable
    }
}
