import Testing

@testable import Pipelines
@testable import SQLiteStore

/// The schema moves forward from any earlier version, in order, in one transaction; the runner is
/// tested with versions this binary does not have yet, so version 2 only adds an element.
struct MigrationTests {
    /// Makes a database at `version`, as the binary of that version left it.
    static func database(at version: Int, in data: String) throws {
        try FileSystem.makeDirectory(data)
        let database = try Database(path: SQLiteStore.databasePath(in: data), create: true)
        try Migrator(migrations: Array(Schema.migrations.prefix(version))).migrate(database)
    }

    @Test(arguments: 0..<Schema.migrations.count)
    func everyEarlierVersionOpensAtTheLatest(version: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try Self.database(at: version, in: data)

        let store = try SQLiteStore(directory: data, deliver: inline)
        defer { store.close() }
        let reader = try SQLiteStore.openExisting(store.databasePath)
        #expect(try reader.integer("PRAGMA user_version") == Schema.latestVersion)
        #expect(try reader.integer("PRAGMA application_id") == Schema.applicationID)
        var batch = StoreBatch()
        batch.putPipeline(Sample.pipeline(1))
        batch.putRun(Sample.run(1, of: 1))
        _ = try #require(await store.commit(batch)).get()
        #expect(try store.load(recentEvents: 0).pipelines == [Sample.pipeline(1)])
    }

    @Test func laterVersionsApplyInOrderAndKeepTheData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        var batch = StoreBatch()
        batch.putPipeline(Sample.pipeline(1))
        try await SQLiteStore.written(batch, in: data)
        // Version 3 depends on version 2's table: only the right order works.
        let next =
            Schema.migrations + [
                Migration(version: Schema.latestVersion + 1, sql: "CREATE TABLE labels (pipeline_id TEXT NOT NULL)"),
                Migration(version: Schema.latestVersion + 2, sql: "ALTER TABLE labels ADD COLUMN label TEXT"),
            ]
        let store = try SQLiteStore(directory: data, deliver: inline, migrator: Migrator(migrations: next))
        defer { store.close() }
        let reader = try SQLiteStore.openExisting(store.databasePath, migrator: store.migrator)
        #expect(try reader.integer("PRAGMA user_version") == Schema.latestVersion + 2)
        #expect(try reader.texts("SELECT name FROM pragma_table_info('labels')") == ["pipeline_id", "label"])
        #expect(try store.load(recentEvents: 0).pipelines == [Sample.pipeline(1)])
    }

    @Test func aFailedMigrationLeavesTheFileAtItsVersion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try SQLiteStore(directory: data, deliver: inline).close()
        let broken =
            Schema.migrations + [
                Migration(
                    version: Schema.latestVersion + 1, sql: "CREATE TABLE labels (x); INSERT INTO nowhere VALUES (1)")
            ]
        let error = #expect(throws: StoreError.self) {
            try SQLiteStore(directory: data, deliver: inline, migrator: Migrator(migrations: broken))
        }
        #expect(error?.message.contains("migrating to schema version \(Schema.latestVersion + 1) failed") == true)
        #expect(error?.message.contains("no such table: nowhere") == true)

        let reader = try SQLiteStore.openExisting(SQLiteStore.databasePath(in: data))
        #expect(try reader.integer("PRAGMA user_version") == Schema.latestVersion)
        #expect(try reader.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'labels'") == 0)
    }

    /// A data directory of schema version 1 (runs keyed by their UUID) opens at version 2 with
    /// every run kept: found by its id, in creation order, and written on by its sequence.
    @Test func aVersion1StoreKeepsItsRunsFoundByID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        var book = RunBook()
        func plan(_ pipeline: String) -> RunPlan {
            RunPlan(
                pipelineID: pipeline, parallel: false,
                stages: ["build", "test"].map { RunPlan.Stage(name: $0, type: .run, timeout: 60) })
        }
        func at(_ milliseconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds) }
        let first = try #require(try book.trigger(plan("p1"), now: at(1)).run)
        let second = try #require(try book.trigger(plan("p1"), now: at(2)).run)  // cancels the first
        let other = try #require(try book.trigger(plan("p2"), now: at(3)).run)
        try book.report(runID: other.id, stage: "build", succeeded: true, now: at(4))
        let runs = try [first, second, other].map { try #require(book.run($0.id)) }
        #expect(runs.map(\.status) == [.cancelled, .running, .running])

        // The rows as version 1 wrote them, inserted newest first so the table's order is not
        // the runs' order.
        try Self.database(at: 1, in: data)
        do {
            let database = try Database(path: SQLiteStore.databasePath(in: data), create: false)
            let insert = try database.prepare(
                "INSERT INTO runs (id, pipeline_id, created_order, body) VALUES (?1, ?2, ?3, ?4)")
            for run in runs.reversed() {
                try insert.run(
                    .text(run.id.description), .text(run.pipelineID), .integer(Int64(run.sequence)),
                    .bytes(run.record))
            }
        }

        let store = try SQLiteStore(directory: data, deliver: inline)
        defer { store.close() }
        let reader = try SQLiteStore.openExisting(store.databasePath)
        #expect(try reader.integer("PRAGMA user_version") == 2)
        #expect(try reader.texts("SELECT name FROM pragma_index_list('runs')").isEmpty)
        #expect(try reader.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'runs_by_sequence'") == 0)
        let state = try store.recover(recentEvents: 0)
        #expect(state.runs == runs)
        var restored = RunBook()
        restored.restore(runs: state.runs, events: [], lastEventSeq: book.log.lastSeq)
        for run in runs { #expect(restored.run(run.id) == run) }
        #expect(restored.runs(pipelineID: "p1").runs == book.runs(pipelineID: "p1").runs)

        // Written on: a trigger cancels the running run (updated under its sequence) and adds one;
        // deleting p2 drops its run by its sequence.
        var trigger = StateChange()
        trigger.runs = try book.trigger(plan("p1"), now: at(5))
        var forget = StateChange()
        forget.runs = book.forget(pipelineID: "p2", now: at(6))
        #expect(forget.runs.removedRuns == [RemovedRun(id: other.id, sequence: other.sequence)])
        let outcomes = Recorder<Result<Void, StoreFailure>>()
        for change in [trigger, forget] { store.persist(change) { outcomes.record($0) } }
        let results = await outcomes.wait(for: 2)
        #expect(results.count == 2 && results.allSatisfy { (try? $0.get()) != nil })
        let after = try store.recover(recentEvents: 0).runs
        let third = try #require(trigger.runs.run)
        #expect(after.map(\.id) == [first.id, second.id, third.id])
        #expect(after == [first.id, second.id, third.id].map { book.run($0) })
        #expect(after[1].status == .cancelled)
    }
}
