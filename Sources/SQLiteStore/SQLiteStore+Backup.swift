import Glibc

/// Backup: a consistent copy of the database while the writer runs.
///
/// Why `VACUUM INTO` rather than the `sqlite3_backup` API: it is one statement that reads one WAL
/// snapshot, so the writer is never paused and never makes the copy restart (an incremental
/// `sqlite3_backup_step` restarts when another connection writes), and the copy comes out compact
/// and self-contained, with no WAL beside it. SQLite does not fsync what `VACUUM INTO` writes, so
/// the copy is written under a temporary name, flushed, renamed into place and its directory
/// flushed: a crash leaves either no backup or a whole one.
extension SQLiteStore {
    /// Copies this store's database to `path` (which must not exist yet).
    public func backup(to path: String) throws(StoreError) {
        try Self.backup(directory: directory, to: path)
    }

    /// Copies the database of the data directory `directory` to `path`, whether or not a server
    /// holds the directory: reading needs no lock (the command-line backup runs beside the server).
    public static func backup(directory: String, to path: String) throws(StoreError) {
        guard !FileSystem.exists(path) else {
            throw StoreError(.other, code: EEXIST, "the backup file \(path) already exists; choose a new name")
        }
        let partial = path + ".partial"
        FileSystem.remove(partial)
        let database = try openExisting(databasePath(in: directory))
        let copy = try database.prepare("VACUUM INTO ?1")
        do throws(StoreError) {
            try copy.run(.text(partial))
            try FileSystem.sync(file: partial)
            try FileSystem.rename(partial, to: path)
            try FileSystem.sync(directory: parentDirectory(of: path))
        } catch {
            FileSystem.remove(partial)
            throw error
        }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
