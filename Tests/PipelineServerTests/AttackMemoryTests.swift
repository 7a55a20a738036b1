import Foundation
import TestSupport
import Testing

/// Memory that comes back: after a burst of output that clients did not read (dropped event
/// subscribers, big list pages), the real binary's resident set returns near its baseline
/// within a few seconds. Each test prints baseline, peak and after.
extension AttackTests {
    @Suite struct Memory {
        /// How far above its baseline the resident set may stay after a burst, in MiB: measured
        /// +1.7 MiB after the subscribers and -2.4 MiB after the list pages; without the heap
        /// trim, +26 MiB after the subscribers (+337 MiB before frames were shared as well).
        static let margin = 8.0
        /// False under a sanitizer, whose allocator replaces glibc's (so there is nothing for
        /// `malloc_trim` to give back) and, for AddressSanitizer, holds 256 MiB of freed memory
        /// in quarantine on purpose: the figures are printed, not checked.
        static var checksMemory: Bool { ProcessInfo.processInfo.environment["PIPELINE_SANITIZER"] == nil }
        /// The resident set a burst must come back under: never reached under a sanitizer, so
        /// the test waits the whole time and prints what is left.
        static func limit(over baseline: Double) -> Double { checksMemory ? baseline + margin : 0 }
        /// How long the memory of a burst may take to come back: the trim runs on a 1 s timer,
        /// once an interval freed little (measured: 1.1–2.0 s).
        static let secondsToComeBack = 4.0

        /// 300 event-stream subscribers with 4 KiB receive buffers stop reading while triggers
        /// of a 100-stage pipeline storm, until every one is dropped (1 MiB of unsent output
        /// each); then they close.
        @Test func droppedSubscribersGiveTheirMemoryBack() async throws {
            let server = try ServerHarness([
                "--log-level", "warning", "--max-subscribers-per-address", "400",
                "--max-connections-per-client", "1000",
            ])
            defer { _ = server.stop() }
            let memory = ResidentMemory(pid: server.process.processIdentifier)
            let figures = try await onThread { () -> (Double, Double, Double, Double?) in
                let api = try APIClient(port: server.port)
                let stages = (0..<100).map { ("stage-\($0)-" + String(repeating: "x", count: 80), 60) }
                let id = try #require(
                    api.request("POST", "/v1/pipelines", body: runStagesDocument(stages, parallel: true))?.json?["id"]
                        as? String)
                let trigger = requestBytes(
                    "POST", "/v1/pipelines/\(id)/trigger", body: nil, headers: [:], authorization: api.authorization)
                let baseline = memory.settled()
                memory.startSampling()
                var swarm: SubscriberSwarm? = try SubscriberSwarm(port: server.port, count: 300, receiveBuffer: 4096)
                #expect(swarm?.statuses().allSatisfy { $0 == 200 } == true)
                // Ten triggers at a time (each about 60 KiB of events) until all 300 are dropped;
                // the fan-out runs behind the triggers, a budget per loop turn.
                let allDropped = { server.log.contains("dropped_total=300") }
                for _ in 0..<40 where !allDropped() {
                    api.raw.send(Array((0..<10).map { _ in trigger }.joined()))
                    for _ in 0..<10 { _ = api.raw.readResponse() }
                    _ = DroppedSubscriberDrainTests.waitFor(seconds: 0.2, allDropped)
                }
                #expect(allDropped(), "not every subscriber was dropped")
                swarm = nil  // closes all 300
                let peak = memory.stopSampling()
                // Frames are shared, not copied per subscriber: 26 MiB over the baseline (what a
                // queued write costs besides its bytes), where copies took 337 MiB.
                if Self.checksMemory {
                    #expect(peak < baseline + 96, "peak \(peak) MiB over a baseline of \(baseline) MiB")
                }
                let (after, seconds) = memory.waitUntil(
                    atMost: Self.limit(over: baseline), seconds: Self.secondsToComeBack)
                return (baseline, peak, after, seconds)
            }
            Self.report("300 dropped subscribers", figures)
        }

        /// 20 clients each ask eight times for `GET /v1/pipelines?limit=100` over pipelines of
        /// ~880 KiB (a page of one document: the next would pass the 1 MiB page budget), do not
        /// read the answers, then close.
        @Test func unreadListPagesGiveTheirMemoryBack() async throws {
            let server = try ServerHarness(["--log-level", "warning"])
            defer { _ = server.stop() }
            let memory = ResidentMemory(pid: server.process.processIdentifier)
            let figures = try await onThread { () -> (Double, Double, Double, Double?) in
                let api = try APIClient(port: server.port)
                for _ in 0..<4 {
                    #expect(api.request("POST", "/v1/pipelines", body: Self.bigDocument)?.status == 201)
                }
                let list = requestBytes(
                    "GET", "/v1/pipelines?limit=100", body: nil, headers: [:], authorization: api.authorization)
                let baseline = memory.settled()
                memory.startSampling()
                var clients: [RawClient] = []
                for _ in 0..<20 {
                    let client = try RawClient(port: server.port)
                    // A small window: the page waits in the server, not in the kernel.
                    var small: Int32 = 4096
                    setsockopt(client.socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
                    // Eight pages (7 MiB): more than the kernel's buffers take (~4 MiB on loopback), so the
                    // rest waits in the server, which stops reading once 256 KiB are queued.
                    client.send(Array([[UInt8]](repeating: list, count: 8).joined()))
                    clients.append(client)
                }
                _ = memory.settled(seconds: 1)  // every page queued
                clients = []  // closes all 20
                let peak = memory.stopSampling()
                let (after, seconds) = memory.waitUntil(
                    atMost: Self.limit(over: baseline), seconds: Self.secondsToComeBack)
                return (baseline, peak, after, seconds)
            }
            Self.report("20 unread list pages", figures)
        }

        /// 14 Run stages with 63 KiB commands (a command may have 64 KiB): ~880 KiB of JSON in
        /// few values, so reading it costs the server little.
        static let bigDocument: String = {
            let command = String(repeating: "m", count: 63 << 10)
            let stages = (0..<14).map {
                #"{"name": "s\#($0)", "type": "Run", "command": "\#(command)", "timeout": 60}"#
            }
            return
                #"{"name": "big", "git_repository": "https://example.com/r.git", "stages": [\#(stages.joined(separator: ","))]}"#
        }()

        static func report(
            _ burst: String, _ figures: (baseline: Double, peak: Double, after: Double, seconds: Double?)
        ) {
            let came = figures.seconds.map { String(format: "%.1f s", $0) } ?? "not within \(secondsToComeBack) s"
            print(
                String(
                    format: "memory after %@: RSS %.1f MiB baseline, %.1f MiB peak, %.1f MiB after (%@)", burst,
                    figures.baseline, figures.peak, figures.after, came))
            guard checksMemory else { return }
            #expect(
                figures.seconds != nil,
                "RSS \(figures.after) MiB, baseline \(figures.baseline) MiB + \(margin) MiB after \(secondsToComeBack) s"
            )
        }
    }
}
