import Glibc
import Synchronization

/// Where log lines go: collected in memory and written to standard error in one `write` per
/// event-loop iteration (the server calls `flush()` before the loop waits for I/O), or sooner
/// when 64 KiB are waiting. A trigger logs a `stage_started` line on the request path, and one
/// system call per line would cost as much as the trigger itself.
///
/// Lines from any thread are accepted (under a lock); nothing is held past the iteration that
/// produced it, and `flush()` runs again when the process stops.
final class LogSink: Sendable {
    static let shared = LogSink()
    static let flushThreshold = 64 * 1024

    private let pending = Mutex<[UInt8]>([])

    func append(_ line: String) {
        let full = pending.withLock { buffer in
            buffer.append(contentsOf: line.utf8)
            return buffer.count >= Self.flushThreshold
        }
        if full { flush() }
    }

    func flush() {
        let bytes = pending.withLock { buffer -> [UInt8] in
            guard !buffer.isEmpty else { return [] }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        var offset = 0
        while offset < bytes.count {  // one write unless the kernel takes less
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
