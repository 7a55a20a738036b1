import Testing

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
}
