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
import Glibc
struct FieldError { var field: String; var message: String }
struct Timestamp {
    var milliseconds: Int64
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
    struct Civil { var year, month, day, hour, minute, second, weekday: Int }
    var civil: Civil {
        let seconds = milliseconds / 1000
        let days = Int(seconds / 86400), rem = Int(seconds % 86400)
        let z = days + 719468, era = z / 146097, doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
        return Civil(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d, hour: rem / 3600,
                     minute: rem % 3600 / 60, second: rem % 60, weekday: (days + 4) % 7)
    }
}
