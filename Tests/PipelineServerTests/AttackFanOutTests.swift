import Foundation
import TestSupport
import Testing

/// Fan-out attacks on the real binary over loopback: a trigger storm with many
/// subscribers must not stall other clients, and one address cannot open subscribers without
/// bound. Each test prints the figure it measures.
extension AttackTests {
    @Suite struct FanOut {
        /// 1,000 subscribers that read, then 150 triggers of a 3-stage pipeline, pipelined ten at a
        /// time (each cancels the previous run and starts the next: about 7 events, so a million
        /// frames, each its own write before the fan-out was batched): `/healthz`, probed every 2 ms
        /// meanwhile, keeps p99 under 50 ms (plus what it is meanwhile on a server without the storm,
        /// on a busy machine). Before: 16 s to deliver, p99 645 ms and 3 probes that got no answer
        /// within 5 s.
        @Test func aTriggerStormToAThousandSubscribersDoesNotStallHealthz() async throws {
            let server = try ServerHarness([
                "--max-subscribers-per-address", "2000", "--max-connections-per-client", "2000",
            ])
            let bystander = try ServerHarness()
            defer {
                _ = server.stop()
                _ = bystander.stop()
            }
            let (quiet, latencies, failures, bytes, seconds) = try await onThread {
                () -> ([Double], [Double], Int, Int, Double) in
                let api = try APIClient(port: server.port)
                let stages = (0..<3).map { ("stage-\($0)", 60) }
                let id = try #require(
                    api.request("POST", "/v1/pipelines", body: runStagesDocument(stages))?.json?["id"] as? String)
                let swarm = try SubscriberSwarm(port: server.port, count: 1_000)
                #expect(swarm.statuses().allSatisfy { $0 == 200 })
                swarm.startDraining()
                defer { swarm.stop() }
                // The same probe at the same time on a server without the storm: what the load of
                // this machine (other tests, other builds) costs (interleaved, not from another day).
                let control = try HealthProbe(port: bystander.port, every: 0.002)
                let probe = try HealthProbe(port: server.port, every: 0.002)
                let start = Date()
                let storm = try RawClient(port: server.port, receiveTimeout: 20)
                let trigger = requestBytes(
                    "POST", "/v1/pipelines/\(id)/trigger", body: nil, headers: [:], authorization: api.authorization)
                // Pipelined ten at a time: how many pipelined requests one loop turn serves is the
                // connection layer's bound; this test measures the fan-out.
                var answered = 0
                for _ in 0..<15 {
                    storm.send(Array((0..<10).map { _ in trigger }.joined()))
                    answered += (0..<10).filter { _ in storm.readResponse()?.status == 200 }.count
                }
                #expect(answered == 150)
                _ = swarm.waitUntilQuiet(since: start, limit: 15)
                let (latencies, failures) = probe.stop()
                return (
                    control.stop().milliseconds, latencies, failures, swarm.receivedBytes,
                    Date().timeIntervalSince(start)
                )
            }
            let p50 = HealthProbe.percentile(latencies, 0.5)
            let p99 = HealthProbe.percentile(latencies, 0.99)
            let quietP99 = HealthProbe.percentile(quiet, 0.99)
            print(
                "fan-out storm: 1,000 subscribers, 150 triggers, \(bytes / 1_048_576) MiB delivered in \(String(format: "%.2f", seconds)) s; "
                    + "/healthz \(latencies.count) probes, p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms, "
                    + "max \(String(format: "%.1f", latencies.last ?? 0)) ms, \(failures) failed; a server without the storm meanwhile: p99 "
                    + "\(String(format: "%.2f", quietP99)) ms")
            #expect(failures == 0)
            // The target is 50 ms; what the machine's load costs a server without the storm is added,
            // so tests running beside this one do not fail it.
            // A latency bound for normal builds; a sanitizer slows every request several times over.
            if ProcessInfo.processInfo.environment["PIPELINE_SANITIZER"] == nil {
                #expect(p99 < 50 + quietP99, "/healthz p99 \(p99) ms during the storm, \(quietP99) ms beside it")
            }
        }

        /// One address holds at most `--max-subscribers-per-address` streams: the next is 429 with
        /// `Retry-After`, other requests from that address are served, and closing one makes room.
        @Test func oneAddressCannotOpenMoreStreamsThanItsLimit() async throws {
            let server = try ServerHarness(["--max-subscribers-per-address", "4"])
            defer { _ = server.stop() }
            try await onThread {
                let four = try SubscriberSwarm(port: server.port, count: 4)
                #expect(four.statuses() == [200, 200, 200, 200])
                let fifth = try RawClient(port: server.port)
                fifth.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(EventStreamTests.auth)\r\n")
                let refused = try #require(fifth.readResponse())
                print(
                    "subscribers per address: 4 open, the fifth got \(refused.status), Retry-After \(refused.header("Retry-After") ?? "none")"
                )
                #expect(refused.status == 429)
                #expect(refused.header("Retry-After") == "5")
                #expect(refused.header("Content-Type") == "application/problem+json")
                // Other requests from the same address are served as before.
                #expect(try APIClient(port: server.port).request("GET", "/healthz")?.status == 200)
                close(four.clients[0].socket)
                let admitted = (0..<100).contains { _ in
                    usleep(20_000)
                    let again = try? SubscriberSwarm(port: server.port, count: 1)
                    return again?.statuses() == [200]
                }
                #expect(admitted, "a stream closed, but the address stayed at its limit")
            }
        }

        /// The default is 32 streams per address.
        @Test func theDefaultLimitIs32StreamsPerAddress() async throws {
            let server = try ServerHarness()
            defer { _ = server.stop() }
            let statuses = try await onThread { try SubscriberSwarm(port: server.port, count: 33).statuses() }
            #expect(statuses.prefix(32).allSatisfy { $0 == 200 })
            #expect(statuses.last == 429)
        }
    }
}
