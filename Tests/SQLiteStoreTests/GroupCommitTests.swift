import Dispatch
import Foundation
import Synchronization
import Testing

@testable import SQLiteStore

/// Batches from many threads are written together, acknowledged in submission order, and only once
/// durable.
struct GroupCommitTests {
    /// Holds the writer in its first delivery until the test opens it, so the writer is provably busy
    /// while the other batches are submitted (no sleeping to make a race likely).
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let armed = Mutex(true)

        func holdOnce() {
            let first = armed.withLock { armed in
                defer { armed = false }
                return armed
            }
            if first { _ = semaphore.wait(timeout: .now() + 20) }
        }

        func open() { semaphore.signal() }
    }

    @Test func batchesQueuedWhileTheWriterIsBusyShareOneTransactionAndCompleteInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gate = Gate()
        let store = try SQLiteStore(directory: directory.child("data")) { job in
            gate.holdOnce()
            job()
        }
        defer { store.close() }
        let delivered = Recorder<Result<CommitTicket, StoreError>>()
        let submitted = Recorder<UInt64>()
        let finished = Recorder<Int>()
        let threads = 4
        let perThread = 100

        var first = StoreBatch()
        first.putPipeline(Sample.pipeline(0))
        submitted.record(try #require(store.submit(first) { delivered.record($0) }))
        for thread in 0..<threads {
            Thread {
                for index in 0..<perThread {
                    var batch = StoreBatch()
                    batch.putPipeline(Sample.pipeline(1 + thread * perThread + index))
                    if let number = store.submit(batch, completion: { delivered.record($0) }) {
                        submitted.record(number)
                    }
                }
                finished.record(thread)
            }.start()
        }
        #expect(await finished.wait(for: threads).count == threads)
        gate.open()

        let total = 1 + threads * perThread
        let outcomes = await delivered.wait(for: total)
        try #require(outcomes.count == total)
        let tickets = try outcomes.map { try $0.get() }
        #expect(tickets.map(\.batch) == submitted.values.sorted())
        #expect(Set(tickets.map(\.batch)).count == total)
        // The first batch went alone (or with a few); everything queued behind it went in one more.
        #expect(store.committedTransactions <= 2)
        #expect(Set(tickets.map(\.transaction)).count == store.committedTransactions)
        #expect(try store.load(recentEvents: 0).pipelines.count == total)
    }

    @Test func closeWritesWhatIsQueuedAndRefusesWhatComesAfter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        let store = try SQLiteStore(directory: data, deliver: inline)
        let delivered = Recorder<Result<CommitTicket, StoreError>>()
        let count = 200
        for number in 1...count {
            var batch = StoreBatch()
            batch.putPipeline(Sample.pipeline(number))
            store.submit(batch) { delivered.record($0) }
        }
        store.close()
        var late = StoreBatch()
        late.setCounter("late", to: 1)
        #expect(store.submit(late) { delivered.record($0) } == nil)

        let outcomes = await delivered.wait(for: count + 1)
        try #require(outcomes.count == count + 1)
        #expect(outcomes.prefix(count).allSatisfy { (try? $0.get()) != nil })
        #expect(outcomes[count].failure?.kind == .closed)

        let reopened = try SQLiteStore(directory: data, deliver: inline)
        defer { reopened.close() }
        let snapshot = try reopened.load(recentEvents: 0)
        #expect(snapshot.pipelines == (1...count).map { Sample.pipeline($0) })
        #expect(snapshot.counters.isEmpty)
    }
}
