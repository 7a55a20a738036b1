import Foundation
import Synchronization
import TestSupport
import Testing

@testable import SQLiteStore

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ name: String = "store") throws {
        var template = Array("\(NSTemporaryDirectory())/\(name)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: made)
    }

    /// A path inside the directory (a data directory, a backup file).
    func child(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects values delivered from other threads and lets a test wait for a number of them, with a
/// bound: it never sleeps to race, it waits for what was observed or gives up after `timeout`.
final class Recorder<Value: Sendable>: Sendable {
    private struct State {
        var values: [Value] = []
        var waiter: (count: Int, continuation: CheckedContinuation<[Value], Never>)?
    }
    private let state = Mutex(State())

    func record(_ value: Value) {
        state.withLock { state in
            state.values.append(value)
            if let waiter = state.waiter, state.values.count >= waiter.count {
                state.waiter = nil
                waiter.continuation.resume(returning: state.values)
            }
        }
    }

    var values: [Value] { state.withLock { $0.values } }

    /// The values once there are `count` of them, or what there is after `timeout`.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async -> [Value] {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire()
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { state in
                if state.values.count >= count {
                    continuation.resume(returning: state.values)
                } else {
                    state.waiter = (count, continuation)
                }
            }
        }
    }

    private func expire() {
        state.withLock { state in
            guard let waiter = state.waiter else { return }
            state.waiter = nil
            waiter.continuation.resume(returning: state.values)
        }
    }
}

/// Runs completions on the writer thread itself, in the order given: the simplest FIFO deliverer.
let inline: SQLiteStore.Deliverer = { job in job() }

extension SQLiteStore {
    /// Opens a store in `directory`, commits `batch` and closes it: a file as a stopped server left it.
    static func written(_ batch: StoreBatch, in directory: String) async throws {
        let store = try SQLiteStore(directory: directory, deliver: inline)
        defer { store.close() }
        _ = try #require(await store.commit(batch)).get()
    }

    /// Submits and waits for the outcome (bounded).
    func commit(_ batch: StoreBatch) async -> Result<CommitTicket, StoreError>? {
        let outcomes = Recorder<Result<CommitTicket, StoreError>>()
        submit(batch) { outcomes.record($0) }
        return await outcomes.wait(for: 1).first
    }
}

/// Sample records with distinct content, so a mix-up of rows shows.
enum Sample {
    static func pipeline(_ number: Int, version: Int64 = 1) -> StoredPipeline {
        StoredPipeline(
            id: "pipeline-\(number)", sequence: Int64(number), version: version,
            body: Array("{\"name\":\"CI \(number)\",\"version\":\(version)}".utf8))
    }

    /// Run `number` of pipeline `pipeline`; its sequence (the key) is `pipeline * 100 + number`.
    static func run(_ number: Int, of pipeline: Int) -> StoredRun {
        StoredRun(
            id: "run-\(pipeline)-\(number)", pipelineID: "pipeline-\(pipeline)",
            sequence: Int64(pipeline * 100 + number),
            body: Array("{\"run\":\(number),\"status\":\"running\"}".utf8))
    }

    static func event(_ sequence: Int64, of pipeline: Int) -> StoredEvent {
        StoredEvent(
            sequence: sequence, pipelineID: "pipeline-\(pipeline)",
            body: Array("{\"type\":\"stage_started\",\"seq\":\(sequence)}".utf8))
    }
}

/// Runs a command and returns its exit status and standard output.
@discardableResult
func shell(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = try SpawnedProcess(
        "/usr/bin/env", arguments, standardInput: .null, standardOutput: .pipe, standardError: .standardOutput)
    let output = process.readOutput().standardOutput
    return (process.waitForExit(), output)
}
