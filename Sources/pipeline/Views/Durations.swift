import Foundation

/// Reads the API's timestamps and says how long something took, the way a person reads it.
enum Durations {
    /// Parses `2026-11-29T10:00:00.000Z` (fractional seconds optional).
    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        return (try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    /// The time from `start` to `end` (or to now, for something still running), e.g. `850ms`,
    /// `12.3s`, `4m05s`, `2h03m`; empty when it never started.
    static func between(_ start: Any?, _ end: Any?, now: Date = Date()) -> String {
        guard let started = date(start) else { return "" }
        return format(max(0, (date(end) ?? now).timeIntervalSince(started)))
    }

    /// Formats seconds compactly.
    static func format(_ seconds: Double) -> String {
        switch seconds {
        case ..<1: "\(Int((seconds * 1000).rounded()))ms"
        case ..<60: String(format: "%.1fs", seconds)
        case ..<3600: String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
        default: String(format: "%dh%02dm", Int(seconds) / 3600, Int(seconds) % 3600 / 60)
        }
    }
}

/// The server's JSON bodies read as Foundation values, for display only: what is printed on a pipe
/// is always the raw body, never a re-encoding of these.
enum JSONBody {
    /// The body as a JSON object, or `nil`.
    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The objects in the array member `key` of a body.
    static func items(_ data: Data, key: String) -> [[String: Any]] {
        object(data)?[key] as? [[String: Any]] ?? []
    }
}
