import Foundation
import Testing

@testable import SQLiteStore

/// Figures for docs/store.md, printed rather than asserted (a shared 2-core machine makes any
/// timed assertion flaky). Off by default: `STORE_BENCH=1 swift test --filter StoreBenchmark`.
struct StoreBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["STORE_BENCH"] != nil
    /// A pipeline body the size of the 3-stage sample's canonical JSON.
    static let pipelineBody = Array(repeating: UInt8(ascii: "p"), count: 600)
    static let runBody = Array(repeating: UInt8(ascii: "r"), count: 300)

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func batch(rows: Range<Int>) -> StoreBatch {
        var batch = StoreBatch()
        for row in rows {
            batch.putPipeline(StoredPipeline(id: "p\(row)", sequence: Int64(row), version: 1, body: pipelineBody))
        }
        return batch
    }

    @Test(.enabled(if: enabled, "set STORE_BENCH=1 to measure"))
    func rowsPerSecondOneRowPerCommitAgainstGroupCommit() async throws {
        let directory = try TemporaryDirectory("bench")
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: { $0() })
        defer { store.close() }
        let clock = ContinuousClock()

        let single = 2_000
        let singleTime = try await clock.measure {
            for row in 0..<single { _ = try #require(await store.commit(Self.batch(rows: row..<row + 1))).get() }
        }
        let group = 64
        let rounds = 200
        let before = store.committedTransactions
        let groupTime = await clock.measure {
            for round in 0..<rounds {
                let outcomes = Recorder<Result<CommitTicket, StoreError>>()
                for index in 0..<group {
                    let row = single + round * group + index
                    store.submit(Self.batch(rows: row..<row + 1)) { outcomes.record($0) }
                }
                _ = await outcomes.wait(for: group)
            }
        }
        let transactions = store.committedTransactions - before
        let wideTime = try await clock.measure {
            for round in 0..<rounds {
                let row = single + group * rounds + round * group
                _ = try #require(await store.commit(Self.batch(rows: row..<row + group))).get()
            }
        }
        let singleRate = Double(single) / Self.seconds(singleTime)
        let groupRate = Double(group * rounds) / Self.seconds(groupTime)
        let wideRate = Double(group * rounds) / Self.seconds(wideTime)
        print(
            "one row per commit: \(Int(singleRate)) rows/s (\(Self.seconds(singleTime) / Double(single) * 1e6) µs per commit)"
        )
        print(
            "64 one-row batches submitted together: \(Int(groupRate)) rows/s in \(transactions) transactions for \(group * rounds) batches (×\(groupRate / singleRate))"
        )
        print("one 64-row batch per commit: \(Int(wideRate)) rows/s (×\(wideRate / singleRate))")
        print(
            "fdatasync after a 4 KiB write: overwrite \(Self.fsyncMicroseconds(in: directory.path, append: false)) µs, append \(Self.fsyncMicroseconds(in: directory.path, append: true)) µs"
        )
    }

    /// The mean time of an fdatasync after appending 4 KiB, in microseconds.
    static func fsyncMicroseconds(in directory: String, append: Bool) -> Double {
        let path = directory + "/fsync-probe"
        let descriptor = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : 0), 0o644)
        defer {
            close(descriptor)
            unlink(path)
        }
        let page = [UInt8](repeating: 1, count: 4096)
        let count = 500
        let clock = ContinuousClock()
        let time = clock.measure {
            for _ in 0..<count {
                _ = page.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                _ = fdatasync(descriptor)
            }
        }
        return seconds(time) / Double(count) * 1e6
    }

    @Test(.enabled(if: enabled, "set STORE_BENCH=1 to measure"))
    func loadingAHundredThousandPipelinesAndTheirRuns() async throws {
        let directory = try TemporaryDirectory("bench")
        defer { directory.remove() }
        let data = directory.child("data")
        let count = 100_000
        let clock = ContinuousClock()
        let writeTime = try await clock.measure {
            let store = try SQLiteStore(directory: data, deliver: { $0() })
            defer { store.close() }
            for start in stride(from: 0, to: count, by: 1_000) {
                var batch = Self.batch(rows: start..<start + 1_000)
                for row in start..<start + 1_000 {
                    batch.putRun(
                        StoredRun(id: "r\(row)", pipelineID: "p\(row)", sequence: Int64(row), body: Self.runBody))
                }
                _ = try #require(await store.commit(batch)).get()
            }
        }
        var store: SQLiteStore? = nil
        let openTime = try clock.measure { store = try SQLiteStore(directory: data, deliver: { $0() }) }
        defer { store?.close() }
        var snapshot: StoreSnapshot? = nil
        let loadTime = try clock.measure { snapshot = try store?.load(recentEvents: 1_000) }
        let checkTime = try clock.measure {
            _ = try SQLiteStore.openExisting(SQLiteStore.databasePath(in: data)).texts("PRAGMA quick_check")
        }
        let size =
            (try? FileManager.default.attributesOfItem(atPath: SQLiteStore.databasePath(in: data))[.size] as? Int) ?? 0
        print(
            "wrote \(count) pipelines + \(count) runs in 1,000-row batches: \(Self.seconds(writeTime)) s; file \(size / 1_048_576) MiB"
        )
        print("open (lock, checks, pragmas): \(Self.seconds(openTime) * 1e3) ms")
        print("PRAGMA quick_check: \(Self.seconds(checkTime) * 1e3) ms")
        print(
            "load \(snapshot?.pipelines.count ?? 0) pipelines + \(snapshot?.runs.count ?? 0) runs: \(Self.seconds(loadTime) * 1e3) ms"
        )
    }
}
