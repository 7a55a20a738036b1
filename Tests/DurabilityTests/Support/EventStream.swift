import Foundation

/// One event of `GET /v1/events`, as a subscriber saw it.
struct SeenEvent: Equatable, Sendable {
    var id: Int
    var type: String
    /// The `data:` line exactly as sent.
    var data: String
}

/// A subscriber to `GET /v1/events`: undoes the chunked framing and hands out events one by one.
/// Control events (`events_lost`, `server_stopping`, …) are returned like the others; their ids
/// are those the server gives them (none: -1).
final class EventStream: @unchecked Sendable {
    private let client: HTTPClient
    private var raw: [UInt8] = []
    private var text: [UInt8] = []
    private(set) var ended = false

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Opens the stream; `lastEventID` resumes after that id.
    convenience init(server: DurableServer, lastEventID: Int? = nil) throws {
        try self.init(client: try server.client(), lastEventID: lastEventID)
    }

    /// Opens the stream on `client`'s connection, which it then owns.
    init(client: HTTPClient, lastEventID: Int? = nil) throws {
        self.client = client
        var headers = ["Accept": "text/event-stream"]
        if let lastEventID { headers["Last-Event-ID"] = String(lastEventID) }
        let head = try client.openStream("/v1/events", headers: headers)
        guard head.status == 200 else { throw Failure(description: "GET /v1/events answered \(head.status)") }
        raw = client.take()
    }

    /// The next event, or nil when none arrived before `deadline` or the stream ended.
    func next(before deadline: Date) -> SeenEvent? {
        while true {
            if let event = takeEvent() { return event }
            if ended { return nil }
            if let chunk = takeChunk() {
                text += chunk
                continue
            }
            let wait = deadline.timeIntervalSinceNow
            guard wait > 0 else { return nil }
            var ready = pollfd(fd: client.socket, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(min(wait, 1) * 1000) + 1) > 0 else { continue }
            do {
                try client.fill()
                raw += client.take()
            } catch {
                ended = true
            }
        }
    }

    /// Events until one with an id of at least `id` arrived (it included), or `deadline`.
    func events(through id: Int, before deadline: Date) -> [SeenEvent] {
        var seen: [SeenEvent] = []
        while let event = next(before: deadline) {
            seen.append(event)
            if event.id >= id { break }
        }
        return seen
    }

    /// One chunk's payload off the front of `raw`; the last chunk ends the stream.
    private func takeChunk() -> [UInt8]? {
        guard let lineEnd = raw.firstRange(of: [13, 10]) else { return nil }
        let sizeText = String(decoding: raw[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
            ended = true
            return nil
        }
        let start = lineEnd.upperBound
        guard raw.count >= start + size + 2 else { return nil }
        let payload = Array(raw[start..<start + size])
        raw.removeFirst(start + size + 2)
        if size == 0 { ended = true }
        return payload
    }

    /// One event off the front of the decoded text; comments (heartbeats) are skipped.
    private func takeEvent() -> SeenEvent? {
        while let end = text.firstRange(of: [10, 10]) {
            let block = String(decoding: text[..<end.lowerBound], as: UTF8.self)
            text.removeFirst(end.upperBound)
            var event = SeenEvent(id: -1, type: "message", data: "")
            var fields = 0
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
                let parts = line.split(separator: ":", maxSplits: 1)
                let value = parts.count > 1 ? String(parts[1].drop { $0 == " " }) : ""
                switch parts.first {
                case "id": event.id = Int(value) ?? -1
                case "event": event.type = value
                case "data": event.data = value
                default: break
                }
                fields += 1
            }
            if fields > 0 { return event }
        }
        return nil
    }
}
