import Foundation
import Testing

/// Credentials and the server's address: flag, then environment, then the config file; the
/// password from standard input; hints for common slips.
struct SettingsTests {
    /// A temporary `XDG_CONFIG_HOME` holding `pipeline/config.json` with `text`.
    func configHome(_ text: String) throws -> URL {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-config-\(UUID())")
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("pipeline"), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: home.appendingPathComponent("pipeline/config.json"))
        return home
    }

    @Test func configFileGivesBaseURLAndUsernameButFlagsAndEnvironmentWin() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let refused = try SilentListener(listening: false)  // bound, so refused and not reused
        defer { refused.stop() }
        let home = try configHome(#"{"base_url": "\#(server.baseURL)", "username": "admin"}"#)
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "PIPELINE_PASSWORD": "admin"]

        let fromFile = try await runPipeline(["list-pipelines"], environment: environment)
        #expect(fromFile.status == 0, "file: \(fromFile)")
        let environmentWins = try await runPipeline(
            ["list-pipelines"], environment: environment.merging(["PIPELINE_URL": refused.baseURL]) { $1 })
        #expect(environmentWins.status == 69, "environment over file: \(environmentWins)")
        let flagWins = try await runPipeline(
            ["list-pipelines", "--base-url", server.baseURL],
            environment: environment.merging(["PIPELINE_URL": refused.baseURL]) { $1 })
        #expect(flagWins.status == 0, "flag over environment: \(flagWins)")
        let wrongUser = try await runPipeline(["list-pipelines", "-u", "nobody"], environment: environment)
        #expect(wrongUser.json?["status"] as? Int == 401, "flag over file: \(wrongUser)")
    }

    @Test func malformedConfigFileIsAUsageError() async throws {
        let home = try configHome("{not json")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try await runPipeline(
            ["list-pipelines", "-u", "a", "--password", "b"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("config.json"), "\(result)")
    }

    @Test func passwordFromStandardInput() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let result = try await runPipeline(
            ["list-pipelines", "--base-url", server.baseURL, "-u", "admin", "--password-stdin"],
            stdin: Data("admin\n".utf8))
        #expect(result.status == 0, "\(result)")
        let wrong = try await runPipeline(
            ["list-pipelines", "--base-url", server.baseURL, "-u", "admin", "--password-stdin"],
            stdin: Data("nope\n".utf8))
        #expect(wrong.status == 1, "\(wrong)")
    }

    @Test func dataThatNamesAFileWithoutTheAtSignGetsAHint() async throws {
        let result = try await runPipeline(["create-pipeline", "-u", "a", "--password", "b", "--data", "pipeline.json"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("To read the file, write --data @pipeline.json"), "\(result)")
    }
}
