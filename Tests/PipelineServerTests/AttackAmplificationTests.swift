import Foundation
import TestSupport
import Testing

/// Amplification attacks on the real binary over loopback: a trigger storm cannot
/// write an unbounded log (memory that slow subscribers held comes back: `AttackMemoryTests`).
/// Each test prints the figure it measures.
extension AttackTests {
    @Suite struct Amplification {
        /// The `stage_started` lines and the counts of `log_lines_suppressed` lines in `log`.
        static func stageLines(in log: String) -> (logged: Int, suppressed: Int, reports: Int) {
            var logged = 0
            var suppressed = 0
            var reports = 0
            for line in log.split(separator: "\n") {
                if line.contains(" info stage_started ") { logged += 1 }
                if line.contains("log_lines_suppressed"),
                    let field = line.split(separator: " ").first(where: { $0.hasPrefix("suppressed=") })
                {
                    reports += 1
                    suppressed += Int(field.dropFirst("suppressed=".count)) ?? 0
                }
            }
            return (logged, suppressed, reports)
        }

        /// 300 triggers of a 100-parallel-stage pipeline (30,000 stage starts), pipelined ten at a
        /// time, at the default rate of 1,000 `stage_started` lines a second: the log holds at most
        /// a second's burst plus 1,000 lines per second of the storm, and what it held back is
        /// counted in `log_lines_suppressed` lines. Before: all 30,000 lines.
        @Test func aTriggerStormWritesABoundedLog() async throws {
            let server = try ServerHarness()
            defer { _ = server.stop() }
            let seconds = try await onThread { () -> Double in
                let api = try APIClient(port: server.port)
                let stages = (0..<100).map { ("stage-\($0)", 60) }
                let id = try #require(
                    api.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"]
                        as? String)
                let trigger = requestBytes(
                    "POST", "/v1/pipelines/\(id)/trigger", body: nil, headers: [:], authorization: api.authorization)
                let start = Date()
                for _ in 0..<30 {
                    api.raw.send(Array((0..<10).map { _ in trigger }.joined()))
                    for _ in 0..<10 { #expect(api.raw.readResponse()?.status == 200) }
                }
                return Date().timeIntervalSince(start)
            }
            // The count of what was held back is said within about a second (+ the 1 s sweep).
            let counted = DroppedSubscriberDrainTests.waitFor(seconds: 5) {
                let lines = Self.stageLines(in: server.log)
                return lines.logged + lines.suppressed == 30_000
            }
            let log = server.log
            let lines = Self.stageLines(in: log)
            print(
                "log storm: 30,000 stage starts in \(String(format: "%.2f", seconds)) s; \(lines.logged) stage_started lines "
                    + "(\(log.utf8.count / 1024) KiB of log), \(lines.suppressed) suppressed in \(lines.reports) log_lines_suppressed lines"
            )
            #expect(counted != nil, "logged \(lines.logged) + suppressed \(lines.suppressed) is not 30,000")
            #expect(lines.logged <= 1_000 + Int((seconds + 1) * 1_000), "\(lines.logged) lines in \(seconds) s")
            #expect(lines.reports >= 1)
        }

        /// A quiet server logs every `stage_started` line and no suppression.
        @Test func aQuietServerLogsEveryStageStart() async throws {
            let server = try ServerHarness()
            defer { _ = server.stop() }
            try await onThread {
                let api = try APIClient(port: server.port)
                let id = try #require(
                    api.request(
                        "POST", "/v1/pipelines", body: runStagesDocument([("a", 60), ("b", 60)], parallel: true))?
                        .json?["id"] as? String)
                for _ in 0..<5 { #expect(api.request("POST", "/v1/pipelines/\(id)/trigger")?.status == 200) }
            }
            let logged = DroppedSubscriberDrainTests.waitFor(seconds: 5) {
                Self.stageLines(in: server.log).logged == 10
            }
            #expect(logged != nil, "\(Self.stageLines(in: server.log)) in \(server.log)")
            #expect(!server.log.contains("log_lines_suppressed"))
        }
    }
}
