import Pipelines

/// The frames the server itself adds to event streams, beside run events. Each has an `event:`
/// line and a `data:` object whose `type` repeats it, like every run event; none has an `id:`,
/// since none is in the ring a client resumes from.
enum ControlEvents {
    /// The first frame of a resumed stream whose `Last-Event-ID` is older than the ring (or
    /// newer than any event of this process): the id asked for and the oldest id still kept.
    static func lost(since lastEventID: UInt64, oldestKept: UInt64) -> [UInt8] {
        frame(
            "events_lost", ids: (lastEventID, oldestKept),
            detail: "Events after this id are no longer kept; the replay starts at the oldest kept event.")
    }

    /// The last frame of a subscriber that fell too far behind.
    static let dropped = frame(
        "subscriber_dropped",
        detail: "This subscriber fell too far behind and was disconnected; reconnect with Last-Event-ID.")

    /// The last frame of every stream when the server shuts down.
    static let stopping = frame(
        "server_stopping", detail: "The server is shutting down; reconnect with Last-Event-ID.")

    /// `event: <type>`, `data: {"type", ["last_event_id", "oldest_kept_id",] "detail"}`, blank line.
    private static func frame(_ type: String, ids: (last: UInt64, oldestKept: UInt64)? = nil, detail: String) -> [UInt8]
    {
        var writer = JSONWriter(capacity: 192)
        writer.beginObject()
        writer.key("type")
        writer.string(type)
        if let ids {
            writer.key("last_event_id")
            writer.raw(String(ids.last).utf8)
            writer.key("oldest_kept_id")
            writer.raw(String(ids.oldestKept).utf8)
        }
        writer.key("detail")
        writer.string(detail)
        writer.endObject()
        return Array("event: \(type)\ndata: ".utf8) + writer.bytes + Array("\n\n".utf8)
    }
}
