import ArgumentParser
import Foundation

/// The `pipeline` command: talks to a pipeline server over its HTTP API (see the README).
@main
struct PipelineCLI: AsyncParsableCommand {
    /// Printed by `--version`; raised with each release of the CLI.
    static let version = "0.13.0"

    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Create, run and watch CI/CD pipelines on a pipeline server.",
        discussion: """
            On a pipe, every command prints the server's JSON answer on standard output, so it \
            can be piped to jq; on a terminal, lists are tables, runs are summaries and errors are \
            sentences (--json prints the JSON; NO_COLOR turns colour off). The server is \
            --base-url, else PIPELINE_URL, else base_url in $XDG_CONFIG_HOME/pipeline/config.json, \
            else http://127.0.0.1:8080; credentials come from --username/--password \
            (or --password-stdin), else PIPELINE_USERNAME/PIPELINE_PASSWORD (the username may \
            also come from the config file).

            Exit codes:
              0   the server answered 2xx
              1   the server answered an error status (its problem JSON is still printed)
              2   --exit-status or trigger-pipeline --watch: the run failed or was cancelled
              64  bad arguments, or --data that is not valid JSON (nothing was sent)
              69  the server could not be reached, or did not answer within --timeout

            Example:
              export PIPELINE_USERNAME=admin PIPELINE_PASSWORD=admin
              pipeline create-pipeline --data @pipeline.json | jq -r .id
            """,
        version: version,
        subcommands: [
            CreatePipeline.self, GetPipeline.self, UpdatePipeline.self, TriggerPipeline.self,
            DeletePipeline.self, ListPipelines.self, ListRuns.self, GetRun.self, CancelRun.self,
            RetryRun.self, ReportStage.self, Watch.self,
        ]
    )

    /// Catches a misspelt command before ArgumentParser's generic "unexpected argument".
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, let message = CommandSuggestion.message(for: word, among: commandNames) {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            Foundation.exit(Outcome.usage.rawValue)
        }
        await main(arguments)
    }

    /// Every subcommand's name, plus `help`.
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName ?? $0._commandName } + ["help"]
    }
}
