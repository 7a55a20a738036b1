import Glibc

/// The few system calls the store makes itself (SQLite makes the rest): creating the data
/// directory, and the fsyncs SQLite leaves to its caller.
enum FileSystem {
    /// Creates `directory` (one level) unless it exists.
    static func makeDirectory(_ directory: String) throws(StoreError) {
        guard unsafe mkdir(directory, 0o755) != 0 else { return }
        let code = errno
        guard code != EEXIST else { return }
        throw failure(code, "cannot create the data directory \(directory)")
    }

    /// Flushes a file's data and size to the disk.
    static func sync(file path: String) throws(StoreError) {
        try syncDescriptor(of: path, flags: O_RDONLY)
    }

    /// Flushes a directory's entries to the disk, so a file created in it (the database, a backup
    /// renamed into place) is still there after a power loss; SQLite does this when it creates a
    /// journal or a WAL, but not for a new database file.
    static func sync(directory path: String) throws(StoreError) {
        try syncDescriptor(of: path, flags: O_RDONLY | O_DIRECTORY)
    }

    /// True when something exists at `path`.
    static func exists(_ path: String) -> Bool {
        unsafe access(path, F_OK) == 0
    }

    /// Removes a file if it is there.
    static func remove(_ path: String) {
        _ = unsafe unlink(path)
    }

    /// Renames `source` to `destination`, replacing it atomically.
    static func rename(_ source: String, to destination: String) throws(StoreError) {
        guard unsafe Glibc.rename(source, destination) == 0 else {
            throw failure(errno, "cannot rename \(source) to \(destination)")
        }
    }

    /// The error of a failed call, from `errno`, with the system's own words.
    static func failure(_ code: Int32, _ action: String) -> StoreError {
        let reason = unsafe String(cString: strerror(code))
        return StoreError(.init(errno: code), code: code, "\(action): \(reason)")
    }

    private static func syncDescriptor(of path: String, flags: Int32) throws(StoreError) {
        let descriptor = unsafe open(path, flags | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno, "cannot open \(path) to flush it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(errno, "flushing \(path) to disk failed") }
    }
}
