/// Recovery: everything the server rebuilds its memory from, read in one snapshot.
extension SQLiteStore {
    /// Reads every pipeline (in creation order), every run (in creation order), the
    /// newest `recentEvents` events (oldest first) and every counter, all from one read transaction,
    /// on a connection of its own so it may run while the writer works.
    public func load(recentEvents: Int) throws(StoreError) -> StoreSnapshot {
        let database = try Self.openExisting(databasePath, migrator: migrator)
        try database.execute("PRAGMA query_only = ON", doing: "making the connection read-only")
        do throws(StoreError) {
            return try Self.read(database, recentEvents: recentEvents)
        } catch  where error.kind == .corrupt {
            throw StoreError(
                .corrupt, code: error.code,
                "\(databasePath) is damaged and cannot be loaded; restore a backup (\(error.message))")
        }
    }

    private static func read(_ database: Database, recentEvents: Int) throws(StoreError) -> StoreSnapshot {
        try database.execute("BEGIN", doing: "starting a read transaction")
        defer { database.rollback() }
        // The first statement of a deferred transaction takes the read snapshot for all four.
        return StoreSnapshot(
            pipelines: try pipelines(database),
            runs: try runs(database),
            events: try events(database, newest: recentEvents),
            counters: try counters(database))
    }

    private static func pipelines(_ database: Database) throws(StoreError) -> [StoredPipeline] {
        try database.prepare("SELECT id, sequence, version, body FROM pipelines ORDER BY sequence").rows { row in
            StoredPipeline(
                id: row.text(at: 0), sequence: row.int64(at: 1), version: row.int64(at: 2), body: row.bytes(at: 3))
        }
    }

    private static func runs(_ database: Database) throws(StoreError) -> [StoredRun] {
        try database.prepare("SELECT id, pipeline_id, sequence, body FROM runs ORDER BY sequence").rows { row in
            StoredRun(
                id: row.text(at: 0), pipelineID: row.text(at: 1), sequence: row.int64(at: 2), body: row.bytes(at: 3))
        }
    }

    private static func events(_ database: Database, newest count: Int) throws(StoreError) -> [StoredEvent] {
        try database.prepare(
            "SELECT seq, pipeline_id, body FROM (SELECT * FROM events ORDER BY seq DESC LIMIT ?1) ORDER BY seq"
        ).rows(.integer(Int64(count))) { row in
            StoredEvent(sequence: row.int64(at: 0), pipelineID: row.text(at: 1), body: row.bytes(at: 2))
        }
    }

    private static func counters(_ database: Database) throws(StoreError) -> [String: Int64] {
        let pairs = try database.prepare("SELECT name, value FROM counters").rows { row in
            (row.text(at: 0), row.int64(at: 1))
        }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }
}
