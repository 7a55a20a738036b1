import Glibc
import Logging
import Pipelines

/// Writes each log event as one logfmt line on standard error:
/// `2026-11-29T10:00:00.000Z info stage_started pipeline_id=… run_id=… stage="Run tests"`.
///
/// It exists because the server logs every `stage_started` at `info`, on the request path of a
/// trigger: swift-log's stream handler formats a local timestamp and pretty-prints metadata on
/// each line, which cost about as much as the trigger itself. This one builds the line once and
/// hands it to `LogSink`, which writes a whole loop iteration's lines at once.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = ""
        line.reserveCapacity(256)
        line += Self.now().rfc3339
        line += " "
        line += event.level.rawValue
        line += " "
        line += Self.quotedIfNeeded("\(event.message)")
        var fields = event.metadata ?? [:]
        if !metadata.isEmpty { fields.merge(metadata) { event, _ in event } }
        if let provided = metadataProvider?.get() { fields.merge(provided) { event, _ in event } }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += Self.quotedIfNeeded("\(value)")
        }
        LogSink.shared.append(line + "\n")
        if event.level >= .warning { LogSink.shared.flush() }  // warnings and errors at once
    }

    private static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// logfmt: bare when the value has no space, quote, `=` or control character; else quoted.
    private static func quotedIfNeeded(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != 0x7F }
        if plain { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case _ where scalar.value < 0x20: quoted += "\\u{\(String(scalar.value, radix: 16))}"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
