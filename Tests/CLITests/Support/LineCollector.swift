import Foundation
import TestSupport

/// Collects a child process's output on a dedicated thread (blocking reads never touch the
/// Swift concurrency pool, which has only two threads here) and lets tests await a line.
final class LineCollector: Sendable {
    private struct Waiter {
        var id: Int
        var needle: String?  // nil: wait for the end of the output
        var continuation: CheckedContinuation<String, any Error>
    }

    private struct State {
        var text = ""
        var ended = false
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = Locked(State())
    private let name: String

    /// Starts reading `handle` until end of file.
    init(_ handle: FileHandle, name: String) {
        self.name = name
        let thread = Thread { [self] in
            // read(2) rather than availableData: a pseudo-terminal ends with EIO, not end of file.
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                // A terminal turns "\n" into "\r\n"; tests compare lines as a pipe would show them.
                self.append(
                    String(decoding: buffer[..<count], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
            }
            try? handle.close()
            self.finish()
        }
        thread.start()
    }

    /// Everything read so far.
    var text: String { state.withLock { $0.text } }

    /// Waits for a complete line containing `needle` and answers it.
    func line(containing needle: String, within seconds: Double = 20) async throws -> String {
        try await wait(for: needle, within: seconds)
    }

    /// Waits for end of file (the process closed its output) and answers all of it.
    func all(within seconds: Double = 60) async throws -> String {
        try await wait(for: nil, within: seconds)
    }

    private func wait(for needle: String?, within seconds: Double) async throws -> String {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [self] in
            try await Task.sleep(for: .seconds(seconds))
            self.fail(
                id,
                HarnessError(
                    "\(name): no \(needle.map { "line containing '\($0)'" } ?? "end of output") within \(seconds) s; got:\n\(text)"
                ))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let answer: Result<String, any Error>? = state.withLock { state in
                if let found = Self.match(needle, in: state) { return .success(found) }
                if state.ended {
                    return .failure(HarnessError("\(name) ended without '\(needle ?? "")':\n\(state.text)"))
                }
                state.waiters.append(Waiter(id: id, needle: needle, continuation: continuation))
                return nil
            }
            if let answer { continuation.resume(with: answer) }
        }
    }

    private static func match(_ needle: String?, in state: State) -> String? {
        guard let needle else { return state.ended ? state.text : nil }
        let complete = state.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return complete.first { $0.contains(needle) }.map(String.init)
    }

    private func append(_ chunk: String) {
        let ready = state.withLock { state in
            state.text += chunk
            return Self.takeSatisfied(&state)
        }
        for (continuation, line) in ready { continuation.resume(returning: line) }
    }

    private func finish() {
        let (ready, failed) = state.withLock { state in
            state.ended = true
            let ready = Self.takeSatisfied(&state)
            let failed = state.waiters
            state.waiters = []
            return (ready, failed.map { ($0.continuation, state.text) })
        }
        for (continuation, line) in ready { continuation.resume(returning: line) }
        for (continuation, text) in failed {
            continuation.resume(throwing: HarnessError("\(name) ended before the awaited line:\n\(text)"))
        }
    }

    private func fail(_ id: Int, _ error: HarnessError) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    private static func takeSatisfied(_ state: inout State) -> [(CheckedContinuation<String, any Error>, String)] {
        var ready: [(CheckedContinuation<String, any Error>, String)] = []
        let snapshot = state
        state.waiters.removeAll { waiter in
            guard let found = match(waiter.needle, in: snapshot) else { return false }
            ready.append((waiter.continuation, found))
            return true
        }
        return ready
    }
}
