import CSQLite

/// A prepared statement with typed binds and columns: the only place that holds a `sqlite3_stmt *`.
///
/// Prepared once and run many times (`reset` between runs); it retains its `Database`, so the
/// connection is closed only after its last statement is finalized. Used on its connection's thread.
@safe final class Statement {
    private let handle: OpaquePointer
    private let database: Database

    init(handle: OpaquePointer, database: Database) {
        unsafe self.handle = handle
        self.database = database
    }

    deinit {
        unsafe sqlite3_finalize(handle)
    }

    // MARK: - Binding (parameters are numbered from 1)

    /// Binds an integer.
    func bind(_ value: Int64, at index: Int32) throws(StoreError) {
        try check(unsafe sqlite3_bind_int64(handle, index, value))
    }

    /// Binds text; SQLite copies the bytes.
    func bind(_ text: String, at index: Int32) throws(StoreError) {
        var text = text
        let status = text.withUTF8 { bytes in
            // An empty buffer may have no base address, and a NULL pointer would bind SQL NULL.
            guard let base = bytes.baseAddress else { return unsafe sqlite3_bind_text(handle, index, "", 0, nil) }
            let characters = unsafe UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            return unsafe csq_bind_text_copy(handle, index, characters, Int32(bytes.count))
        }
        try check(status)
    }

    /// Binds bytes as a BLOB; SQLite copies them.
    func bind(_ bytes: [UInt8], at index: Int32) throws(StoreError) {
        let status = unsafe bytes.withUnsafeBytes { buffer in
            // As for text: no base address must still be an empty BLOB, not NULL.
            guard let base = buffer.baseAddress else { return unsafe sqlite3_bind_zeroblob(handle, index, 0) }
            return unsafe csq_bind_blob_copy(handle, index, base, Int32(buffer.count))
        }
        try check(status)
    }

    /// A value to bind, so a write can bind all its parameters in one call.
    enum Value {
        case integer(Int64)
        case text(String)
        case bytes([UInt8])
    }

    /// Binds `values` to parameters 1, 2, 3… in order.
    func bind(_ values: [Value]) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .integer(let integer): try bind(integer, at: index)
            case .text(let text): try bind(text, at: index)
            case .bytes(let bytes): try bind(bytes, at: index)
            }
        }
    }

    // MARK: - Running

    /// Steps once: true when a row is ready to read, false when the statement is done.
    func step() throws(StoreError) -> Bool {
        let status = unsafe sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(status, "running \(sql)")
        }
    }

    /// Binds `values`, runs a statement that returns no rows, then makes it ready for new bindings.
    func run(_ values: Value...) throws(StoreError) {
        defer { reset() }
        try bind(values)
        _ = try step()
    }

    /// Binds `values` and makes one value of every row the statement returns.
    func rows<Row>(_ values: Value..., as row: (Statement) -> Row) throws(StoreError) -> [Row] {
        defer { reset() }
        try bind(values)
        var rows: [Row] = []
        while try step() { rows.append(row(self)) }
        return rows
    }

    /// Rewinds the statement and clears its bindings, so a failed run leaves nothing behind.
    func reset() {
        unsafe sqlite3_reset(handle)
        unsafe sqlite3_clear_bindings(handle)
    }

    // MARK: - Columns (numbered from 0), valid until the next step or reset

    /// An integer column.
    func int64(at column: Int32) -> Int64 {
        unsafe sqlite3_column_int64(handle, column)
    }

    /// A text column, decoded as UTF-8 (invalid bytes are replaced, never trusted).
    func text(at column: Int32) -> String {
        let start = unsafe sqlite3_column_text(handle, column)
        let count = Int(unsafe sqlite3_column_bytes(handle, column))
        return unsafe String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    /// A BLOB column, copied out of SQLite's page cache.
    func bytes(at column: Int32) -> [UInt8] {
        let start = unsafe sqlite3_column_blob(handle, column)
        let count = Int(unsafe sqlite3_column_bytes(handle, column))
        return unsafe Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    // MARK: - Errors

    /// The statement's SQL, for error sentences.
    private var sql: String {
        unsafe sqlite3_sql(handle).map { unsafe String(cString: $0) } ?? "a statement"
    }

    private func check(_ status: Int32) throws(StoreError) {
        guard status == SQLITE_OK else { throw database.error(status, "binding a value of \(sql)") }
    }
}
