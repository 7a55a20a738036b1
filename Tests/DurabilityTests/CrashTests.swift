import Foundation
import TestSupport
import Testing

/// SIGKILL at random moments while clients write, read and subscribe, with every fsync slowed so
/// the window between "applied in memory" and "durable" is wide: after each restart, everything
/// acknowledged or seen must still be there, exactly.
@Suite struct CrashTests {
    static let rounds = 20
    /// Added to every fsync/fdatasync of the server by the preloaded shim
    /// (`DURABILITY_FSYNC_DELAY_MS` overrides it, 0 to see what the test catches without it).
    static let fsyncDelayMilliseconds =
        ProcessInfo.processInfo.environment["DURABILITY_FSYNC_DELAY_MS"].flatMap { Int($0) } ?? 30
    /// Each round is killed after a random number of writes up to this.
    static let writesPerRoundAtMost = 150

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedAndSeenStateSurvivesSIGKILL() async throws {
        let scratch = try ScratchDirectory("crash")
        let data = scratch.appending("data")
        let shim = try Self.compileShim(into: scratch)
        let environment = ["LD_PRELOAD": shim, "SLOW_FSYNC_MS": String(Self.fsyncDelayMilliseconds)]
        let arguments = ["--log-level", "warning"]
        let started = Date()
        try await onThread {
            let ledger = Ledger()
            var server = try DurableServer.start(dataDirectory: data, arguments: arguments, environment: environment)
            let template = try Self.learnTemplate(server, ledger)
            var shimSeen = false
            for round in 1...Self.rounds {
                let group = DispatchGroup()
                ledger.locked { $0.roundOperations = 0 }
                CrashClients(server: server, ledger: ledger, template: template, round: round).start(group)
                // The crash: after a random number of writes, plus up to two fsyncs' worth, so it
                // falls anywhere in a commit. Polled with a bounded deadline.
                let writes = Int.random(in: 10...Self.writesPerRoundAtMost)
                let deadline = Date().addingTimeInterval(10)
                while ledger.locked({ $0.roundOperations }) < writes, Date() < deadline { usleep(1_000) }
                usleep(UInt32.random(in: 0...UInt32(2 * Self.fsyncDelayMilliseconds * 1000)))
                server.kill()
                shimSeen = shimSeen || server.standardError.contains("slow_fsync:")
                if group.wait(timeout: .now() + 20) == .timedOut {
                    ledger.violation("round \(round): a client was still blocked 20 s after the kill")
                }
                server = try DurableServer.start(dataDirectory: data, arguments: arguments, environment: environment)
                try RestartCheck(client: try server.client(), ledger: ledger, template: template).run(
                    final: round == Self.rounds)
            }
            #expect(server.terminate() == 0)
            #expect(shimSeen, "the slow-fsync shim never ran: the window was not widened")
            let (violations, figures, events) = ledger.locked { ($0.violations, $0.figures, $0.events.count) }
            let acknowledged = ["creates", "updates", "deletes", "triggers"].map {
                figures["acknowledged \($0)", default: 0]
            }
            print(
                """
                crash test: \(Self.rounds) SIGKILL rounds in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, \
                fsync slowed by \(Self.fsyncDelayMilliseconds) ms; writes acknowledged: \(acknowledged.reduce(0, +)) \
                (creates \(acknowledged[0]), updates \(acknowledged[1]), deletes \(acknowledged[2]), triggers \(acknowledged[3])); \
                reads \(figures["reads", default: 0]); distinct events seen \(events); \
                checked: \(figures.filter { !$0.key.hasPrefix("acknowledged") && $0.key != "reads" }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \
                violations \(violations.count)
                """)
            for (kind, count) in Self.kinds(of: violations) { print("  \(count) × \(kind)") }
            for violation in violations.prefix(10) { print("  violation: \(violation)") }
            #expect(acknowledged.reduce(0, +) > 0, "no write was acknowledged: the test checked nothing")
            #expect(
                violations.isEmpty,
                "\(violations.count) violations, the first: \(violations.prefix(8).joined(separator: "\n"))")
        }
    }

    /// Violations counted by kind: ids and numbers blanked out.
    static func kinds(of violations: [String]) -> [(String, Int)] {
        let counts = Dictionary(grouping: violations) { text in
            text.replacingOccurrences(of: #"[0-9a-f]{8}-[0-9a-f-]{27}"#, with: "ID", options: .regularExpression)
                .replacingOccurrences(of: #"\d+"#, with: "N", options: .regularExpression)
                .replacingOccurrences(of: #"( \{|; expected).*$"#, with: "", options: .regularExpression)
        }.mapValues(\.count)
        return counts.sorted { $0.value > $1.value }
    }

    /// Builds the LD_PRELOAD shim that slows fsync (Support/slow_fsync.c) into `scratch`.
    static func compileShim(into scratch: ScratchDirectory) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Support/slow_fsync.c"
        ).path
        let library = scratch.appending("slow_fsync.so")
        let status = run("/usr/bin/cc", ["-shared", "-fPIC", "-O2", "-o", library, source, "-ldl"])
        try #require(status == 0, "cc could not build the fsync shim from \(source)")
        return library
    }

    /// Stores one pipeline with a placeholder name and reads it back: the canonical form every
    /// document of the test is stored in.
    static func learnTemplate(_ server: DurableServer, _ ledger: Ledger) throws -> Template {
        let client = try server.client()
        let created = try client.post(
            "/v1/pipelines", json: pipelineDocument(name: Template.placeholderName, timeout: 1))
        try #require(created.status == 201)
        let id = try #require(created.json?["id"] as? String)
        let read = try client.get("/v1/pipelines/\(id)")
        let version = try #require(read.version)
        ledger.locked {
            $0.addPipeline(
                .init(
                    id: id, owner: -1, names: [version: Template.placeholderName], acknowledged: version, seen: version)
            )
        }
        return Template(body: read.text, id: id)
    }
}
