import Foundation
import Testing

@testable import SQLiteStore

/// What was acknowledged is there after a close and a reopen, and a backup taken while the writer
/// runs is a consistent store of its own.
struct DurabilityTests {
    @Test func acknowledgedWritesSurviveCloseAndReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        var batch = StoreBatch()
        batch.putPipeline(Sample.pipeline(1))
        batch.putRun(Sample.run(1, of: 1))
        batch.appendEvents([Sample.event(41, of: 1), Sample.event(42, of: 1)])
        batch.setCounter("next_event", to: 43)
        try await SQLiteStore.written(batch, in: data)
        let reopened = try SQLiteStore(directory: data, deliver: inline)
        defer { reopened.close() }
        let snapshot = try reopened.load(recentEvents: 10)
        #expect(snapshot.pipelines == [Sample.pipeline(1)])
        #expect(snapshot.runs == [Sample.run(1, of: 1)])
        #expect(snapshot.events == [Sample.event(41, of: 1), Sample.event(42, of: 1)])
        #expect(snapshot.counters == ["next_event": 43])
    }

    @Test func theDatabaseRunsInWALWithFullSync() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        let reader = try SQLiteStore.openExisting(store.databasePath)
        #expect(try reader.texts("PRAGMA journal_mode") == ["wal"])
        #expect(try reader.integer("PRAGMA user_version") == Schema.latestVersion)
    }

    /// The writer's connection syncs every commit and writes no freed page only to zero it.
    @Test func theWriterConnectionSyncsFullyAndErasesWithoutExtraPages() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.child("pipeline.sqlite"), create: true)
        try SQLiteStore.configure(database)
        #expect(try database.integer("PRAGMA synchronous") == 2)  // FULL
        #expect(try database.integer("PRAGMA secure_delete") == 2)  // FAST
    }

    @Test func aBackupTakenWhileTheWriterRunsIsAConsistentStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        let delivered = Recorder<Result<CommitTicket, StoreError>>()
        let count = 300
        Thread {
            for number in 1...count {
                var batch = StoreBatch()
                batch.putPipeline(Sample.pipeline(number))
                batch.setCounter("pipelines", to: Int64(number))
                store.submit(batch) { delivered.record($0) }
            }
        }.start()
        _ = await delivered.wait(for: 1)  // the writer is at work
        let copy = directory.child("backup.sqlite")
        try SQLiteStore.backup(directory: store.directory, to: copy)
        #expect(await delivered.wait(for: count).count == count)

        // Restoring is putting the copy in a data directory of its own.
        let restored = directory.child("restored")
        try FileManager.default.createDirectory(atPath: restored, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: copy, toPath: SQLiteStore.databasePath(in: restored))
        let reopened = try SQLiteStore(directory: restored, deliver: inline)
        defer { reopened.close() }
        let snapshot = try reopened.load(recentEvents: 0)
        let written = Int(snapshot.counters["pipelines"] ?? 0)
        #expect(snapshot.pipelines == (0..<written).map { Sample.pipeline($0 + 1) })
    }

    @Test func aBackupNeverOverwritesAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        let copy = directory.child("backup.sqlite")
        try store.backup(to: copy)
        let error = #expect(throws: StoreError.self) { try store.backup(to: copy) }
        #expect(error?.message == "the backup file \(copy) already exists; choose a new name")
    }
}
