import Testing

/// Every command explains itself with `--help`, including a runnable example.
struct HelpTests {
    static let commands = [
        "create-pipeline", "get-pipeline", "update-pipeline", "trigger-pipeline", "delete-pipeline",
        "list-pipelines", "list-runs", "get-run", "cancel-run", "retry-run", "report-stage", "watch",
    ]

    @Test(arguments: commands)
    func helpShowsAnExampleOfTheCommand(_ command: String) async throws {
        let result = try await runPipeline([command, "--help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Example:"))
        #expect(result.stdout.contains("pipeline \(command) "))
        #expect(result.stdout.contains("--base-url"))
    }

    @Test func topLevelHelpDocumentsTheExitCodes() async throws {
        let result = try await runPipeline(["--help"])
        #expect(result.status == 0, "\(result)")
        for code in ["64", "69"] { #expect(result.stdout.contains("  \(code)  ")) }
        for command in Self.commands { #expect(result.stdout.contains(command)) }
    }
}
