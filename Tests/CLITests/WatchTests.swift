import Foundation
import Testing

/// `watch` follows the event stream: one JSON event per line, Ctrl-C ends it with status 0.
struct WatchTests {
    @Test func printsStageStartedAfterATriggerAndExitsZeroOnInterrupt() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let document =
            #"{"name": "Watched", "git_repository": "https://github.com/example/repo", "stages": [{"name": "Run tests", "type": "Run", "command": "pytest"}]}"#
        let created = try await server.pipeline(["create-pipeline", "--data", document])
        let id = try #require(created.json?["id"] as? String, "\(created)")

        let watch = try startPipeline(
            ["watch", "--pipeline-id", id, "--base-url", server.baseURL] + TestServer.credentials)
        defer { watch.kill() }
        _ = try await watch.stderr.line(containing: "watching")  // connected: no event can be missed

        let triggered = try await server.pipeline(["trigger-pipeline", "--pipeline-id", id])
        let runID = try #require(triggered.json?["run_id"] as? String, "\(triggered)")
        let line = try await watch.stdout.line(containing: "stage_started")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(event["type"] as? String == "stage_started")
        #expect(event["pipeline_id"] as? String == id)
        #expect(event["run_id"] as? String == runID)
        #expect(event["stage"] as? String == "Run tests")

        watch.interrupt()
        #expect(await watch.exitStatus() == 0)
        // Every line printed is one whole JSON object.
        for printed in watch.stdout.text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(printed.utf8))) is [String: Any], "\(printed)")
        }
    }

    /// A follower waiting for events blocks in the kernel: over two idle seconds it may use at
    /// most a tenth of a second of CPU (it used ~85% of a core when it polled a writable socket).
    @Test func idleWatchUsesNoCPU() async throws {
        let server = try await TestServer.start()
        defer { server.stop() }
        let watch = try startPipeline(["watch", "--base-url", server.baseURL] + TestServer.credentials)
        defer { watch.kill() }
        _ = try await watch.stderr.line(containing: "watching")
        let before = try cpuSeconds(of: watch.process.processIdentifier)
        try await Task.sleep(for: .seconds(2))
        let used = try cpuSeconds(of: watch.process.processIdentifier) - before
        #expect(used <= 0.1, "watch used \(used) s of CPU in 2 idle seconds")
    }
}

/// User plus system CPU time of a running process, from `/proc/PID/stat` (fields 14 and 15).
func cpuSeconds(of pid: Int32) throws -> Double {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // The command name (field 2) may contain spaces; count fields after its closing parenthesis.
    let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
    let ticks = try #require(Double(fields[11])) + #require(Double(fields[12]))
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}
