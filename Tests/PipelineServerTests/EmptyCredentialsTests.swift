import Foundation
import TestSupport
import Testing

/// `PIPELINE_USERNAME= PIPELINE_PASSWORD=` started on 0.0.0.0 and
/// accepted `Basic Og==`. An empty username or password, from anywhere, now stops start-up with
/// one sentence and status 1, as the demo account off loopback always did.
struct EmptyCredentialsTests {
    let startup = StartupTests()

    @Test(arguments: [
        ["PIPELINE_USERNAME": "", "PIPELINE_PASSWORD": ""], ["PIPELINE_USERNAME": "ci", "PIPELINE_PASSWORD": ""],
        ["PIPELINE_USERNAME": "", "PIPELINE_PASSWORD": "secret"], ["PIPELINE_USERNAME": "ci"],
        ["PIPELINE_PASSWORD": "secret"],
    ])
    func anEmptyOrHalfSetAccountInTheEnvironmentStopsStartUp(_ environment: [String: String]) async throws {
        for host in ["0.0.0.0", "127.0.0.1"] {
            let (status, errors) = try await onThread {
                try startup.runToExit(["--host", host, "--port", "0"], environment: environment)
            }
            #expect(status == 1, "\(environment) on \(host)")
            #expect(
                errors == "pipeline-server: PIPELINE_USERNAME and PIPELINE_PASSWORD must both be set and non-empty "
                    + "(or both unset for the demo account on loopback)\n")
        }
    }

    @Test func anEmptyPasswordInTheCredentialsFileStopsStartUp() async throws {
        let path = try startup.credentialsFile("ci:\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, errors) = try await onThread {
            try startup.runToExit(["--host", "0.0.0.0", "--port", "0", "--credentials-file", path])
        }
        #expect(status == 1)
        #expect(errors == "pipeline-server: credentials file \(path) has an empty password; an account needs one\n")
    }

    @Test func aUsernameWithAColonStopsStartUp() async throws {
        let (status, errors) = try await onThread {
            try startup.runToExit(
                ["--port", "0"], environment: ["PIPELINE_USERNAME": "ci:bot", "PIPELINE_PASSWORD": "secret"])
        }
        #expect(status == 1)
        #expect(
            errors
                == "pipeline-server: refusing to start with a ':' in the username: HTTP Basic cannot carry it (a password may have one)\n"
        )
    }

    @Test func aRealAccountStillStartsOffLoopback() async throws {
        let server = try ServerHarness(
            ["--host", "0.0.0.0"], environment: ["PIPELINE_USERNAME": "ci", "PIPELINE_PASSWORD": "secret"])
        let statuses = try await onThread { () -> [Int?] in
            let api = try APIClient(port: server.port)
            api.authorization = "Basic Og=="  // ":" — the empty account
            let empty = api.request("GET", "/v1/pipelines")?.status
            api.authorization = "Basic " + Data("ci:secret".utf8).base64EncodedString()
            return [empty, api.request("GET", "/v1/pipelines")?.status]
        }
        #expect(statuses == [401, 200])
        #expect(server.stop() == 0)
    }
}
