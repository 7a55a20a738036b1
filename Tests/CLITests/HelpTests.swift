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
        #expect(result.stdout.contains("Example"))
        #expect(result.stdout.contains("pipeline \(command) "))
        #expect(result.stdout.contains("--base-url"))
    }

    /// At the default 80 columns, no example is wrapped inside a command: every example line
    /// starts a command, or continues one whose previous line ended with ` \`.
    @Test(arguments: commands)
    func examplesAreNotWrappedMidCommand(_ command: String) async throws {
        let result = try await runPipeline([command, "--help"], environment: ["COLUMNS": "80"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Example") }, "\(result.stdout)")
        let example = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(!example.isEmpty)
        var continues = false
        for line in example {
            let starts = ["  pipeline ", "  export ", "  jq "].contains { line.hasPrefix($0) }
            #expect(starts || (continues && line.hasPrefix("    ")), "wrapped example line: '\(line)'")
            continues = line.hasSuffix(" \\")
        }
    }

    @Test func topLevelHelpDocumentsTheExitCodes() async throws {
        let result = try await runPipeline(["--help"])
        #expect(result.status == 0, "\(result)")
        for code in ["64", "69"] { #expect(result.stdout.contains("  \(code)  ")) }
        for command in Self.commands { #expect(result.stdout.contains(command)) }
    }

    @Test func versionIsPrinted() async throws {
        let result = try await runPipeline(["--version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.wholeMatch(of: /\d+\.\d+\.\d+/) != nil, "\(result)")
    }

    @Test func misspeltCommandGetsASuggestionAndExitsSixtyFour() async throws {
        let result = try await runPipeline(["creat-pipeline", "--data", "{}"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("Did you mean create-pipeline?"), "\(result)")
        let unrelated = try await runPipeline(["frobnicate"])
        #expect(unrelated.status == 64)
        #expect(!unrelated.stderr.contains("Did you mean"), "\(unrelated)")
    }
}
