import CSQLite

/// One SQLite connection: the only place that holds a `sqlite3 *`.
///
/// A connection is opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`): SQLite takes no lock of
/// its own, so a `Database` must be used by one thread at a time. The writer's connection is opened
/// by the thread that opens the store and then handed to the writer thread, which is its only user
/// from then on; `load` and `backup` open connections of their own.
@safe final class Database {
    /// The `sqlite3 *`; closed in `deinit`, after every `Statement` (which retains us) is gone.
    private let handle: OpaquePointer
    /// The file, for error sentences.
    let path: String

    /// Opens `path` for reading and writing (creating it when `create` is true), with extended
    /// result codes on, so an I/O error says which call failed.
    init(path: String, create: Bool) throws(StoreError) {
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        var opened: OpaquePointer? = nil
        let status = unsafe sqlite3_open_v2(path, &opened, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let opened = unsafe opened else {
            let reason =
                unsafe opened.map { unsafe String(cString: sqlite3_errmsg($0)) }
                ?? String(cString: sqlite3_errstr(status))
            unsafe sqlite3_close_v2(opened)
            throw StoreError(.init(sqliteCode: status), code: status, "cannot open \(path): \(reason)")
        }
        unsafe handle = opened
        self.path = path
        unsafe sqlite3_extended_result_codes(handle, 1)
        // Readers and the writer share the file; wait out the brief locks of WAL recovery or a
        // checkpoint rather than failing at once.
        unsafe sqlite3_busy_timeout(handle, 5_000)
    }

    deinit {
        unsafe sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows (DDL, pragmas that set, BEGIN/COMMIT).
    func execute(_ sql: String, doing action: @autoclosure () -> String = "running SQL") throws(StoreError) {
        let status = unsafe sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, action()) }
    }

    /// Prepares one statement, to be run many times with new bindings.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var prepared: OpaquePointer? = nil
        let status = unsafe sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared = unsafe prepared else {
            throw error(status, "preparing \(sql)")
        }
        return unsafe Statement(handle: prepared, database: self)
    }

    /// The single integer a pragma or a `SELECT` returns (`PRAGMA user_version`, a count).
    func integer(_ sql: String) throws(StoreError) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }

    /// The first column of every row a query returns, as text (`PRAGMA journal_mode`, table names).
    func texts(_ sql: String) throws(StoreError) -> [String] {
        try prepare(sql).rows { $0.text(at: 0) }
    }

    /// True while a transaction is open: SQLite ends one by itself after some failures (a full disk,
    /// an I/O error), and a ROLLBACK then would only fail again.
    var inTransaction: Bool { unsafe sqlite3_get_autocommit(handle) == 0 }

    /// True when SQLite opened the file read-only (it does so silently when it may not write it).
    var isReadOnly: Bool { unsafe sqlite3_db_readonly(handle, "main") == 1 }

    /// The typed error for a failed call: SQLite's own sentence for the connection's last error,
    /// prefixed with what we were doing and where.
    func error(_ status: Int32, _ action: String) -> StoreError {
        let reason = unsafe String(cString: sqlite3_errmsg(handle))
        let code = status == SQLITE_OK ? unsafe sqlite3_extended_errcode(handle) : status
        return StoreError(.init(sqliteCode: code), code: code, "\(action) failed on \(path): \(reason)")
    }
}
