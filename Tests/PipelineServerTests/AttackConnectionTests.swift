import Foundation
import Testing

/// Issue 12's socket-level attacks against the real binary on loopback: each is bounded in time
/// and prints the figure it measures (RSS, `/healthz` latency) so a regression shows as a number.
@Suite(.serialized) struct AttackConnectionTests {
    static let authorization = "Authorization: Basic YWRtaW46YWRtaW4=\r\n"

    /// Reproduction 1: 50 connections dripping one body byte every 1.5 s under
    /// `--max-connections 50` made every `/healthz` fail for as long as they dripped. With a
    /// total body deadline (2 s here) they are answered 408 and `/healthz` is served again.
    @Test func dripFedBodiesCannotHoldEveryConnection() async throws {
        let server = try ServerHarness(["--max-connections", "50", "--body-timeout", "2", "--header-timeout", "30"])
        let (blockedAtFirst, recoveredAfter) = try await onThread { () -> (Bool, Double?) in
            let head = "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\n\(Self.authorization)Content-Length: 100\r\n\r\n{"
            let drips = try (0..<50).map { _ in
                let client = try RawClient(port: server.port)
                client.send(head)
                return client
            }
            usleep(300_000)  // every drip accepted: the cap is full
            let start = Date()
            var lastDrip = start
            var blockedAtFirst: Bool?
            while Date().timeIntervalSince(start) < 8 {
                if Date().timeIntervalSince(lastDrip) >= 1.5 {
                    for drip in drips { drip.send(" ") }
                    lastDrip = Date()
                }
                let served = Self.healthz(port: server.port) != nil
                if blockedAtFirst == nil { blockedAtFirst = !served }
                if served { return (blockedAtFirst ?? false, Date().timeIntervalSince(start)) }
                usleep(100_000)
            }
            return (blockedAtFirst ?? false, nil)
        }
        print("drip attack: /healthz served again after \(recoveredAfter.map { String(format: "%.2f s", $0) } ?? "never (8 s)")")
        #expect(blockedAtFirst, "the 50 drips held every connection at first")
        // 2 s deadline + ≤ 0.5 s sweep + the 2 s linger of each closed drip (they keep sending).
        #expect((recoveredAfter ?? .infinity) < 6, "the 2 s total body deadline freed the connections")
        _ = server.stop()
    }

    // MARK: - Helpers

    /// One `GET /healthz` on a new connection; its latency in seconds, or nil if not answered 200.
    static func healthz(port: Int) -> Double? {
        let start = Date()
        guard let client = try? RawClient(port: port, receiveTimeout: 2) else { return nil }
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        guard client.readResponse()?.status == 200 else { return nil }
        return Date().timeIntervalSince(start)
    }

    /// The server's resident set, in MiB, from `/proc`.
    static func residentMiB(_ server: ServerHarness) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(server.process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        return kib / 1024
    }
}
