import Foundation

extension PipelineAPI {
    /// Fetches every page of a cursor-paginated listing and joins them into one body of the same
    /// shape, `{"<key>": [...every item...], "next_cursor": null}`.
    ///
    /// Items are spliced as the raw bytes the server sent, never re-encoded, so the output is
    /// unchanged in content. A non-2xx page is answered as it is (the caller prints it).
    /// - Parameters:
    ///   - key: the array member of each page, `pipelines` or `runs`.
    ///   - fetchPage: fetches the page after `cursor` (`nil` for the first).
    public func collectPages(
        key: String, fetchPage: (_ cursor: String?) async throws(ClientError) -> APIResponse
    ) async throws(ClientError) -> APIResponse {
        var items: [Data] = []
        var cursor: String? = nil
        var seenCursors: Set<String> = []
        var status = 200
        repeat {
            let page = try await fetchPage(cursor)
            guard page.isSuccess else { return page }
            status = page.status
            let parsed = try Self.splitPage(page.body, key: key, url: url(["v1"]).absoluteString)
            items += parsed.items
            cursor = parsed.nextCursor
            if let next = cursor, !seenCursors.insert(next).inserted {
                throw ClientError.unexpectedResponse(url: baseURL.absoluteString, reason: "the cursor \(next) repeats")
            }
        } while cursor != nil
        var body = Data(#"{"\#(key)": ["#.utf8)
        body.append(contentsOf: items.joined(separator: Data(", ".utf8)))
        body.append(contentsOf: #"], "next_cursor": null}"#.utf8)
        return APIResponse(status: status, body: body)
    }

    /// The raw items and the `next_cursor` string (or `nil`) of one listing page.
    static func splitPage(_ body: Data, key: String, url: String) throws(ClientError) -> (
        items: [Data], nextCursor: String?
    ) {
        let bytes = [UInt8](body)
        guard let members = JSONSyntax.objectMembers(bytes) else {
            throw ClientError.unexpectedResponse(url: url, reason: "a page is not a JSON object")
        }
        func member(_ name: String) -> Range<Int>? {
            members.first { decodeString(bytes[$0.key]) == name }?.value
        }
        guard let array = member(key), let elements = JSONSyntax.arrayElements(bytes, in: array) else {
            throw ClientError.unexpectedResponse(url: url, reason: "a page has no \"\(key)\" array")
        }
        let items = elements.map { Data(bytes[$0]) }
        guard let cursorRange = member("next_cursor") else { return (items, nil) }
        let raw = bytes[cursorRange]
        if raw.elementsEqual("null".utf8) { return (items, nil) }
        guard let cursor = decodeString(raw) else {
            throw ClientError.unexpectedResponse(url: url, reason: "next_cursor is neither a string nor null")
        }
        return (items, cursor)
    }

    /// Decodes a raw JSON string literal (with its quotes), or `nil` if it is not one.
    private static func decodeString(_ raw: ArraySlice<UInt8>) -> String? {
        guard raw.first == UInt8(ascii: "\"") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(raw), options: .fragmentsAllowed)) as? String
    }
}
