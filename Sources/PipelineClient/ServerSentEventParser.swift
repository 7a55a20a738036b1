/// One dispatched Server-Sent Event.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `id:` in force when the event was dispatched (the API's global sequence number).
    public var id: String?
    /// The `event:` field, `message` when absent.
    public var type: String
    /// The `data:` lines joined with `\n` (for this API: one JSON object).
    public var data: String

    /// Creates an event; the parser builds these, tests compare against them.
    public init(id: String?, type: String, data: String) {
        self.id = id
        self.type = type
        self.data = data
    }
}

/// An incremental parser for the `text/event-stream` format (WHATWG HTML §9.2), fed with chunks
/// exactly as they come off the network; it remembers the last event id for reconnecting.
public struct ServerSentEventParser: Sendable {
    /// The id to send as `Last-Event-ID` when reconnecting; survives `connectionDropped()`.
    public private(set) var lastEventID: String?
    /// The reconnection delay the server asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    private var line: [UInt8] = []
    private var afterCarriageReturn = false
    private var sawFirstLine = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""

    /// A parser at the start of a stream.
    public init() {}

    /// Consumes the next chunk and answers the events it completed, in order.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }  // the LF of a CRLF pair
            }
            switch byte {
            case UInt8(ascii: "\r"):
                afterCarriageReturn = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Forgets a half-received event when the connection ends (the format says it is discarded)
    /// while keeping `lastEventID`, so the next connection resumes after the last whole event.
    public mutating func connectionDropped() {
        line = []
        afterCarriageReturn = false
        sawFirstLine = false
        data = []
        hasData = false
        eventType = ""
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if !sawFirstLine {
            sawFirstLine = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }  // byte order mark
        }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }  // comment, e.g. a keep-alive
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch name {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retryMilliseconds = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data = []
            hasData = false
            eventType = ""
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            id: lastEventID, type: eventType.isEmpty ? "message" : eventType,
            data: String(decoding: data, as: UTF8.self))
    }
}
