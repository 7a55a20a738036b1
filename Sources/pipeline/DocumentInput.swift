import Foundation
import PipelineClient

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
            let hint =
                source == "--data" && looksLikeAFileName(argument)
                ? ". To read the file, write --data @\(argument)" : ""
            throw Outcome.usageError("invalid JSON in \(source) at \(error); nothing was sent\(hint)")
        }
        return data
    }

    /// A word with no JSON punctuation that names an existing file or ends like one (`x.json`):
    /// most likely the `@` was forgotten.
    static func looksLikeAFileName(_ argument: String) -> Bool {
        guard !argument.isEmpty, !argument.contains(where: { "{}[]\"\n".contains($0) }) else { return false }
        return FileManager.default.fileExists(atPath: argument) || argument.hasSuffix(".json") || argument.contains("/")
    }
}
