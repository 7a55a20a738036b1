import ArgumentParser
import Foundation
import PipelineClient

/// The documented exit codes, one per failure class (listed in `pipeline --help`).
enum Outcome {
    /// The server answered a non-2xx status; its body was printed.
    static let httpError = ExitCode(1)
    /// Bad arguments or invalid `--data`; the same code ArgumentParser uses for its own usage errors.
    static let usage = ExitCode.validationFailure
    /// No answer: connection refused, unknown host, TLS failure or timeout (sysexits EX_UNAVAILABLE).
    static let unreachable = ExitCode(69)

    /// Prints a response body on stdout unchanged (plus a final newline if it lacks one) and
    /// throws `httpError` unless the status was 2xx.
    static func emit(_ response: APIResponse) throws {
        printBody(response.body)
        guard response.isSuccess else {
            printError("the server answered HTTP \(response.status)")
            throw httpError
        }
    }

    /// Writes raw bytes to stdout at once (FileHandle is unbuffered), ending them with a newline.
    static func printBody(_ body: Data) {
        guard !body.isEmpty else { return }
        var output = body
        if output.last != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\n")) }
        FileHandle.standardOutput.write(output)
    }

    /// Writes `pipeline: <message>` to standard error.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("pipeline: \(message)\n".utf8))
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
