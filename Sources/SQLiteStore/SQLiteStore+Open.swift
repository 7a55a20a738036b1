/// Opening the file: in this order so each refusal has its own sentence, and nothing is written
/// to a file before we know it is ours.
extension SQLiteStore {
    /// Opens the writer's connection: checks the file is ours, sets the durability pragmas, migrates.
    static func openForWriting(_ path: String, migrator: Migrator) throws(StoreError) -> Database {
        let database = try Database(path: path, create: true)
        // SQLite falls back to read-only without a word when it may not write the file.
        guard !database.isReadOnly else {
            throw StoreError(
                .readOnly,
                "\(path) cannot be written (SQLite could open it read-only only): make the file and its directory writable"
            )
        }
        // Reads the header and the schema first: a file of another program is refused untouched.
        try migrator.check(database)
        try checkIntegrity(database)
        try configure(database)
        try migrator.migrate(database)
        return database
    }

    /// Refuses a damaged file at start rather than at the first read that meets the damage:
    /// `quick_check` reads every page once (about 65 ms for 100,000 pipelines and their runs, see
    /// docs/store.md), skipping only the costly index-to-table cross-checks of `integrity_check`.
    static func checkIntegrity(_ database: Database) throws(StoreError) {
        let problems: [String]
        do throws(StoreError) {
            problems = try database.texts("PRAGMA quick_check(1)")
        } catch  where error.kind == .corrupt {
            problems = [error.message]
        }
        guard problems != ["ok"] else { return }
        // SQLite's report spans lines; an operator's error is one sentence on one line.
        let report = problems.joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: " ")
        throw StoreError(.corrupt, "\(database.path) is damaged (\(report)); restore a backup")
    }

    /// Pragmas for durability: WAL with `synchronous=FULL` syncs the WAL at every commit, so an
    /// acknowledged commit survives a power loss (NORMAL syncs only at checkpoints and may lose the
    /// last commits). `secure_delete=FAST`: SQLite as Debian builds it has secure_delete on, which
    /// writes every page a delete frees (the events pruned at each commit) to the WAL once more as
    /// zeros; FAST still erases deleted content on the pages a commit writes anyway, and writes
    /// no page only to erase it.
    static func configure(_ database: Database) throws(StoreError) {
        let mode = try database.texts("PRAGMA journal_mode = WAL").first ?? ""
        guard mode == "wal" else {
            throw StoreError(.other, "\(database.path) could not be switched to WAL mode (it stayed in \(mode) mode)")
        }
        try database.execute("PRAGMA synchronous = FULL", doing: "setting synchronous=FULL")
        try database.execute("PRAGMA secure_delete = FAST", doing: "setting secure_delete=FAST")
    }

    /// Opens a second connection that reads (load, backup): in WAL mode it reads a snapshot while
    /// the writer goes on. It never creates the file, and refuses one that is not ours.
    static func openExisting(_ path: String, migrator: Migrator = Migrator()) throws(StoreError) -> Database {
        let database = try Database(path: path, create: false)
        try migrator.check(database)
        return database
    }
}
