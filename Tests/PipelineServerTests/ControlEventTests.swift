import Foundation
import TestSupport
import Testing

/// The server's own stream events (`events_lost`, `subscriber_dropped`, `server_stopping`) carry
/// their `type` in `data` like run events, and are in `openapi.json`'s `Event` schema; a
/// `Last-Event-ID` that is not an id is refused as `openapi.json` declares.
struct ControlEventTests {
    static let auth = EventStreamTests.auth

    /// The JSON of the `data:` line that follows `event: <name>` in a raw stream.
    static func data(of name: String, in stream: String) -> [String: Any]? {
        guard let event = stream.range(of: "event: \(name)\ndata: ") else { return nil }
        let line = stream[event.upperBound...].prefix { $0 != "\n" }
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    /// The `type` values `openapi.json`'s `Event` schema allows.
    static func documentedEventTypes(port: Int) throws -> [String] {
        let client = try APIClient(port: port)
        let document = client.request("GET", "/openapi.json")?.json
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let event = schemas?["Event"] as? [String: Any]
        let variants = ((event?["oneOf"] as? [[String: Any]]) ?? [event ?? [:]]).map { variant in
            (variant["$ref"] as? String).flatMap {
                schemas?[String($0.split(separator: "/").last ?? "")] as? [String: Any]
            } ?? variant
        }
        return variants.flatMap { variant -> [String] in
            let type = (variant["properties"] as? [String: Any])?["type"] as? [String: Any]
            return (type?["enum"] as? [String]) ?? (type?["const"] as? String).map { [$0] } ?? []
        }
    }

    @Test func eventsLostSaysItsTypeAndTheIdItResumedFrom() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let (stream, documented) = try await onThread { () -> (String, [String]) in
            let client = try RawClient(port: server.port)
            // Newer than any event of this process: from before a restart.
            client.send(
                "GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)Last-Event-ID: 99999999999999999999999\r\n\r\n")
            return (client.read(until: "}\n\n") ?? "", try Self.documentedEventTypes(port: server.port))
        }
        let data = Self.data(of: "events_lost", in: stream)
        #expect(data?["type"] as? String == "events_lost")
        #expect(data?["last_event_id"] as? NSNumber == NSNumber(value: UInt64.max))
        #expect(documented.contains("events_lost"))
    }

    @Test func subscriberDroppedSaysItsType() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let (stream, documented) = try await onThread { () -> (String, [String]) in
            let stalled = try SlowSubscriber.connect(port: server.port)
            SlowSubscriber.flood(try APIClient(port: server.port)) { server.log.contains("subscriber_dropped") }
            SlowSubscriber.startReading(stalled)
            let stream = stalled.read(until: "reconnect with Last-Event-ID.\"}\n\n") ?? ""
            return (stream, try Self.documentedEventTypes(port: server.port))
        }
        let data = Self.data(of: "subscriber_dropped", in: stream)
        #expect(data?["type"] as? String == "subscriber_dropped")
        #expect(documented.contains("subscriber_dropped"))
    }

    @Test func serverStoppingIsDocumented() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let documented = try await onThread { try Self.documentedEventTypes(port: server.port) }
        #expect(documented.contains("server_stopping"))
        #expect(documented.contains("run_queued"))
    }

    @Test(arguments: ["abc", "12abc", "-1", "1.5", "0x10"])
    func aLastEventIDThatIsNotAnIDIsABadRequest(value: String) async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let reply = try await onThread {
            try RawClient(port: server.port).sendAndRead(
                "GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)Last-Event-ID: \(value)\r\n\r\n")
        }
        #expect(reply?.status == 400)
        #expect(reply?.header("Content-Type") == "application/problem+json")
        #expect((reply?.json?["detail"] as? String)?.contains("Last-Event-ID") == true)
    }

    @Test func anEmptyLastEventIDIsNoID() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let head = try await onThread { () -> String? in
            let client = try RawClient(port: server.port)
            client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)Last-Event-ID:\r\n\r\n")
            return client.read(until: "\r\n\r\n")
        }
        #expect(head?.hasPrefix("HTTP/1.1 200 OK") == true)
        #expect(head?.contains("text/event-stream") == true)
    }

    @Test func eventsLostNamesTheOldestKeptIDWhereTheReplayStarts() async throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let stream = try await onThread { () -> String in
            let api = try APIClient(port: server.port)
            let id = api.request("POST", "/v1/pipelines", body: runStagesDocument([]))?.json?["id"] as? String ?? "none"
            _ = api.request("POST", "/v1/pipelines/\(id)/trigger")  // events 1-3: queued, started, succeeded
            let client = try RawClient(port: server.port)
            client.send("GET /v1/events HTTP/1.1\r\nHost: t\r\n\(Self.auth)Last-Event-ID: 1000\r\n\r\n")
            return client.read(until: "event: run_succeeded") ?? ""
        }
        let data = Self.data(of: "events_lost", in: stream)
        #expect(data?["last_event_id"] as? Int == 1000)
        #expect(data?["oldest_kept_id"] as? Int == 1)
        #expect(stream.contains("id: 1\nevent: run_queued"))
    }
}
