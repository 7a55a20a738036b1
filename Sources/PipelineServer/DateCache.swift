import Pipelines

/// The `Date` header value (IMF-fixdate), formatted at most once per second.
struct DateCache {
    private var second: Int64 = -1
    private var formatted = ""

    /// The current value; reformatted only when the wall-clock second changed.
    mutating func current(at now: Timestamp) -> String {
        let nowSecond = now.milliseconds / 1000
        if nowSecond != second {
            second = nowSecond
            formatted = Self.imfFixdate(now)
        }
        return formatted
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func imfFixdate(_ timestamp: Timestamp) -> String {
        let civil = timestamp.civil
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[civil.weekday]), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) "
            + "\(two(civil.hour)):\(two(civil.minute)):\(two(civil.second)) GMT"
    }
}
