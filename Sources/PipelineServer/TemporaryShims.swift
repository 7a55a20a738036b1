// TEMPORARY: stand-ins until the HTTP1 branch lands its versions. Delete on merge.
import HTTP1

struct ResponseHead {
    var status: HTTPStatus
    var headers: [(name: String, value: String)]
    func serialized(date: String, contentLength: Int?, chunked: Bool, close: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for header in headers { text += "\(header.name): \(header.value)\r\n" }
        text += "Date: \(date)\r\n"
        if let contentLength, status.code != 204 { text += "Content-Length: \(contentLength)\r\n" }
        if chunked { text += "Transfer-Encoding: chunked\r\n" }
        if close { text += "Connection: close\r\n" }
        return Array((text + "\r\n").utf8)
    }
}
enum ChunkEncoder {
    static let lastChunk = Array("0\r\n\r\n".utf8)
    static let trailer = Array("\r\n".utf8)
    static func header(for count: Int) -> [UInt8] { Array((String(count, radix: 16) + "\r\n").utf8) }
}
struct RequestTarget {
    var pathSegments: [Substring]
    var queryItems: [(name: String, value: String)]
    init?(_ target: String) {
        guard target.hasPrefix("/") else { return nil }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        pathSegments = Array(parts[0].dropFirst().split(separator: "/", omittingEmptySubsequences: false))
        if pathSegments == [""] { pathSegments = [] }
        queryItems = []
    }
}
enum PercentDecoding {
    static func decode(_ text: Substring) -> String? { String(text) }
}
