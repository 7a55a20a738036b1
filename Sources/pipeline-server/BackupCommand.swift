import ArgumentParser
import Glibc
import SQLiteStore

/// `pipeline-server backup`: a consistent copy of a store, also while its server runs (the copy
/// is one read transaction, so writes go on meanwhile). Restoring is copying the file back into
/// an empty data directory while no server uses it.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copies a data directory's store to a file, consistently, even while the server runs.",
        discussion: """
            pipeline-server backup --data-dir DIR --to FILE (the data directory as for the server: \
            --data-dir, else PIPELINE_DATA_DIR, else ./pipeline-data). An existing FILE is never \
            overwritten. Restore by stopping the server and copying FILE to DIR/pipeline.sqlite in \
            an empty data directory.
            """)

    /// `--data-dir` is the server command's own option, given after `backup` as usual.
    @ParentCommand var server: ServerCommand

    @Option(name: .customLong("to"), help: "The file to write; it must not exist yet.")
    var destination: String

    func run() throws {
        let directory = server.dataDir ?? env("PIPELINE_DATA_DIR") ?? "./pipeline-data"
        do throws(StoreError) {
            try SQLiteStore.backup(directory: directory, to: destination)
        } catch {
            var message = "pipeline-server backup: \(error.message)\n"
            _ = message.withUTF8 { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode.failure
        }
        print("backed up \(directory) to \(destination)")
    }
}
