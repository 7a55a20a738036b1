/// The store's schema, as the list of migrations that build it: version N is what migrations 1…N
/// make of an empty file. A new version is one more element at the end; nothing above it changes.
enum Schema {
    /// Written to `PRAGMA application_id` ("PIPE"), so a SQLite file of another program is told
    /// apart from ours even when it happens to use `user_version` too.
    static let applicationID: Int64 = 0x5049_5045

    /// Every migration, in version order.
    static let migrations: [Migration] = [
        Migration(
            version: 1,
            sql: """
                -- A pipeline's key is its creation sequence, the rowid: it never changes, a new
                -- pipeline appends at the end of the table, and a scan in creation order is a
                -- scan of the table itself. No index on the random UUID: each would put every
                -- insert on a random page (one more page written per create).
                CREATE TABLE pipelines (
                    sequence INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                -- No foreign key and no index by pipeline: the server names every run it drops
                -- (a pipeline's deletion drops all of them in the same batch), and load sorts.
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    pipeline_id TEXT NOT NULL,
                    created_order INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    pipeline_id TEXT NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE TABLE counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                """
        ),
        Migration(
            version: 2,
            sql: """
                -- A run's key is its sequence (the number of its run_queued event, unique and
                -- never reused), the rowid, as for pipelines: a new run appends at the end of
                -- the table, the run a trigger cancels is next to it, and no index on the random
                -- UUID puts every insert on a random page. The server names a run it drops by
                -- its sequence too.
                CREATE TABLE runs_by_sequence (
                    sequence INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    pipeline_id TEXT NOT NULL,
                    body BLOB NOT NULL
                );
                INSERT INTO runs_by_sequence (sequence, id, pipeline_id, body)
                    SELECT created_order, id, pipeline_id, body FROM runs ORDER BY created_order;
                DROP TABLE runs;
                ALTER TABLE runs_by_sequence RENAME TO runs;
                """
        ),
    ]

    /// The version this binary writes.
    static var latestVersion: Int64 { migrations.last?.version ?? 0 }
}

/// One step from version `version - 1` to `version`.
struct Migration: Sendable {
    let version: Int64
    let sql: String
}
