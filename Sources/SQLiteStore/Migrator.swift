/// Decides whether a database file is ours, and brings it to the newest schema.
///
/// Reads `application_id`, `user_version` and the number of schema objects, then: an empty file
/// gets every migration; ours at an older version gets the missing ones, in order, all in one
/// transaction (a crash halfway leaves the old version, never a mix); ours at a newer version, or
/// any file of another program, is refused. The migrations are a parameter so tests can add a
/// version the binary does not have yet.
struct Migrator: Sendable {
    let migrations: [Migration]
    let applicationID: Int64

    init(migrations: [Migration] = Schema.migrations, applicationID: Int64 = Schema.applicationID) {
        precondition(
            migrations.enumerated().allSatisfy { $0.element.version == Int64($0.offset + 1) },
            "migrations are numbered 1, 2, 3… in order")
        self.migrations = migrations
        self.applicationID = applicationID
    }

    /// The version the migrations lead to.
    var latestVersion: Int64 { Int64(migrations.count) }

    /// Checks the file and applies what is missing; returns the version the file had.
    @discardableResult
    func migrate(_ database: Database) throws(StoreError) -> Int64 {
        let found = try check(database)
        guard found < latestVersion else { return found }
        try database.transaction { () throws(StoreError) in
            for migration in migrations where migration.version > found {
                try database.execute(migration.sql, doing: "migrating to schema version \(migration.version)")
                try database.execute("PRAGMA user_version = \(migration.version)", doing: "setting the schema version")
            }
            try database.execute("PRAGMA application_id = \(applicationID)", doing: "marking the database as ours")
        }
        return found
    }

    /// Refuses a file that is not ours or is newer than we know; returns its version.
    @discardableResult
    func check(_ database: Database) throws(StoreError) -> Int64 {
        let application: Int64
        let version: Int64
        let objects: Int64
        do throws(StoreError) {
            application = try database.integer("PRAGMA application_id")
            version = try database.integer("PRAGMA user_version")
            objects = try database.integer("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
        } catch  where error.kind == .corrupt {
            throw StoreError(
                .corrupt, code: error.code,
                "\(database.path) is not a usable pipeline database: it is not a SQLite file or it is damaged (\(error.message))"
            )
        }
        if application != applicationID && (version != 0 || objects != 0) {
            throw StoreError(
                .foreignDatabase,
                "\(database.path) is a SQLite database of another program (application_id \(application), schema version \(version), \(objects) tables or indexes); the pipeline server will not touch it"
            )
        }
        if version > latestVersion {
            throw StoreError(
                .newerSchema,
                "\(database.path) has schema version \(version), but this pipeline server knows versions up to \(latestVersion): it was written by a newer release; run that release, or restore a backup made by this one"
            )
        }
        return version
    }
}
