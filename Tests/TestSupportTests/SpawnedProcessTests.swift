import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The spawner the integration tests start the real binaries with.
struct SpawnedProcessTests {
    /// Runs `script` with /bin/sh, its output and errors piped, and answers status and output.
    func shell(
        _ script: String, environment: [String: String]? = nil, standardError: SpawnedProcess.Stream = .pipe
    ) throws -> (status: Int32, output: SpawnedProcess.Output) {
        let child = try SpawnedProcess(
            "/bin/sh", ["-c", script], environment: environment, standardInput: .null, standardOutput: .pipe,
            standardError: standardError)
        let output = child.readOutput()
        return (child.waitForExit(), output)
    }

    @Test func exitStatusAndBothStreamsAreReported() throws {
        let (status, output) = try shell("echo out; echo err >&2; exit 3")
        #expect(status == 3)
        #expect(output.standardOutput == "out\n")
        #expect(output.standardError == "err\n")
    }

    @Test func standardErrorCanFollowStandardOutput() throws {
        let (_, output) = try shell("echo out; echo err >&2", standardError: .standardOutput)
        #expect(output.standardOutput == "out\nerr\n")
    }

    @Test func aChildKilledByASignalReportsTheSignal() throws {
        let child = try SpawnedProcess("/bin/sleep", ["30"], standardInput: .null)
        #expect(child.isRunning)
        #expect(child.waitForExit(seconds: 0.05) == nil)
        child.send(SIGKILL)
        #expect(child.waitForExit(seconds: 10) == SIGKILL)
        #expect(!child.isRunning)
        child.send(SIGKILL)  // after the reap: no effect, no other process hit
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let (_, output) = try shell("env", environment: ["ONLY": "this one"])
        let names = output.standardOutput.split(separator: "\n").map { $0.prefix { $0 != "=" } }
        #expect(names.filter { $0 != "PWD" && $0 != "SHLVL" && $0 != "_" } == ["ONLY"])
        #expect(output.standardOutput.contains("ONLY=this one\n"))
    }

    @Test func withoutAnEnvironmentTheTestsOwnIsInherited() throws {
        let path = String(cString: getenv("PATH"))
        let (_, output) = try shell("echo \"$PATH\"")
        #expect(output.standardOutput == path + "\n")
    }

    @Test func theChildInheritsOnlyItsStandardStreams() throws {
        // A descriptor this process holds without close-on-exec (as a test's socket may be).
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        #expect(held > 2)
        let (_, output) = try shell("ls /proc/$$/fd")
        #expect(output.standardOutput.split(separator: "\n") == ["0", "1", "2"])
    }

    @Test func standardInputIsWrittenThroughAPipe() async throws {
        let child = try SpawnedProcess("/bin/cat", [], standardInput: .pipe, standardOutput: .pipe)
        child.standardInput?.write(Data("line\n".utf8))
        try child.standardInput?.close()
        #expect(child.readOutput().standardOutput == "line\n")
        #expect(await child.waitForExit() == 0)
    }

    @Test func aMissingExecutableIsAnError() {
        #expect(throws: SpawnError.self) { try SpawnedProcess("/nonexistent/program", []) }
    }

    @Test func readingStopsAtTheTimeLimit() throws {
        let child = try SpawnedProcess("/bin/sh", ["-c", "echo early; exec sleep 30"], standardOutput: .pipe)
        defer { child.send(SIGKILL) }
        let started = ContinuousClock.now
        #expect(child.readOutput(within: 0.3).standardOutput == "early\n")
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
