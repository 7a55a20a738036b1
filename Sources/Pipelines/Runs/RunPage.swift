/// One page of `GET /v1/pipelines/{id}/runs`: its runs already encoded (the registry encodes
/// each once, to hold the page to its byte budget) and the cursor of the next page.
package struct RunPage: Sendable {
    /// Each run's JSON object, newest first.
    package var bodies: [[UInt8]]
    /// Pass back as `cursor` to get the next page; nil on the last page.
    package var nextCursor: String?

    /// `{"runs": [...runs...], "next_cursor": "..."|null}`.
    package func encoded() -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + bodies.reduce(0) { $0 + $1.count + 1 })
        writer.beginObject()
        writer.key("runs")
        writer.beginArray()
        for body in bodies { writer.raw(body) }
        writer.endArray()
        writer.key("next_cursor")
        writer.string(nextCursor)
        writer.endObject()
        return writer.bytes
    }
}
