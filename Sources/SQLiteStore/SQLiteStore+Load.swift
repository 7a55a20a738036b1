/// Recovery: everything the server rebuilds its memory from, read in one snapshot.
extension SQLiteStore {
    /// Reads every pipeline (in creation order), every run (grouped by pipeline, oldest first), the
    /// newest `recentEvents` events (oldest first) and every counter, all from one read transaction,
    /// on a connection of its own so it may run while the writer works.
    public func load(recentEvents: Int) throws(StoreError) -> StoreSnapshot {
        let database = try Self.openExisting(databasePath, migrator: migrator)
        try database.execute("PRAGMA query_only = ON", doing: "making the connection read-only")
        do throws(StoreError) {
            return try Self.read(database, recentEvents: recentEvents)
        } catch where error.kind == .corrupt {
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
        let rows = try database.prepare("SELECT id, sequence, version, body FROM pipelines ORDER BY sequence")
        var pipelines: [StoredPipeline] = []
        while try rows.step() {
            pipelines.append(
                StoredPipeline(
                    id: rows.text(at: 0), sequence: rows.int64(at: 1), version: rows.int64(at: 2),
                    body: rows.bytes(at: 3)))
        }
        return pipelines
    }

    private static func runs(_ database: Database) throws(StoreError) -> [StoredRun] {
        let rows = try database.prepare(
            "SELECT id, pipeline_id, created_order, body FROM runs ORDER BY pipeline_id, created_order")
        var runs: [StoredRun] = []
        while try rows.step() {
            runs.append(
                StoredRun(
                    id: rows.text(at: 0), pipelineID: rows.text(at: 1), createdOrder: rows.int64(at: 2),
                    body: rows.bytes(at: 3)))
        }
        return runs
    }

    private static func events(_ database: Database, newest count: Int) throws(StoreError) -> [StoredEvent] {
        let rows = try database.prepare(
            "SELECT seq, pipeline_id, body FROM (SELECT * FROM events ORDER BY seq DESC LIMIT ?1) ORDER BY seq")
        try rows.bind(Int64(count), at: 1)
        var events: [StoredEvent] = []
        while try rows.step() {
            events.append(StoredEvent(sequence: rows.int64(at: 0), pipelineID: rows.text(at: 1), body: rows.bytes(at: 2)))
        }
        return events
    }

    private static func counters(_ database: Database) throws(StoreError) -> [String: Int64] {
        let rows = try database.prepare("SELECT name, value FROM counters")
        var counters: [String: Int64] = [:]
        while try rows.step() { counters[rows.text(at: 0)] = rows.int64(at: 1) }
        return counters
    }
}
