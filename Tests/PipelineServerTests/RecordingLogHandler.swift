import Logging
import TestSupport

/// A swift-log handler that keeps each message with its metadata as text, for tests that check
/// what the server logs (one line per event, the fields it names).
struct RecordingLogHandler: LogHandler {
    struct Line {
        let message: String
        let metadata: [String: String]
    }

    let lines = Locked<[Line]>([])
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
        lines.withLock { $0.append(Line(message: "\(event.message)", metadata: fields)) }
    }

    /// A logger writing here, and the lines it has written so far.
    static func logger() -> (Logger, Locked<[Line]>) {
        let handler = RecordingLogHandler()
        return (Logger(label: "recorded") { _ in handler }, handler.lines)
    }
}
