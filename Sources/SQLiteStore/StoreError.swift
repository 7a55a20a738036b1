import CSQLite
import Glibc

/// Why the store could not do what it was asked, as one sentence a person can act on.
///
/// Every SQLite result code and every failed system call of the store ends up here, so the server
/// needs one mapping: `isRetryable` failures of a commit become 503 + `Retry-After`, failures to
/// open become a refusal to start with `description` as the reason.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough for the server to choose a response or an exit.
    public enum Kind: Sendable, Equatable {
        /// The file system is full (SQLITE_FULL, ENOSPC, EFBIG).
        case diskFull
        /// The directory or the database file cannot be written (SQLITE_READONLY, EROFS, EACCES).
        case readOnly
        /// A read or write of the file failed (SQLITE_IOERR and its extended codes, EIO).
        case ioError
        /// The file is not a SQLite database, or its pages are damaged (SQLITE_NOTADB, SQLITE_CORRUPT).
        case corrupt
        /// The file is a SQLite database of some other program.
        case foreignDatabase
        /// The database was written by a newer binary whose schema this one does not know.
        case newerSchema
        /// Another process, or another store in this one, holds the data directory.
        case directoryInUse
        /// The batch broke a rule of the schema (SQLITE_CONSTRAINT): a bug in the caller, not a fault.
        case rejected
        /// The store was closed before the batch could be written.
        case closed
        /// The database is locked by another connection for longer than the busy timeout.
        case busy
        /// Any other SQLite or system failure; `code` says which.
        case other
    }

    /// The coarse reason, for the server's mapping.
    public let kind: Kind
    /// The SQLite extended result code, or the `errno` of a system call, or 0 for the store's own checks.
    public let code: Int32
    /// One sentence: what failed, where, and SQLite's or the system's own words for it.
    public let message: String

    /// Makes an error from its parts; the store's own checks use this directly.
    public init(_ kind: Kind, code: Int32 = 0, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// True when the same write may succeed later (space freed, directory made writable again, lock
    /// released): the server answers 503 with `Retry-After` and keeps serving reads.
    public var isRetryable: Bool {
        switch kind {
        case .diskFull, .readOnly, .ioError, .busy, .closed: true
        case .corrupt, .foreignDatabase, .newerSchema, .directoryInUse, .rejected, .other: false
        }
    }

    public var description: String { message }
}

extension StoreError.Kind {
    /// The kind of a SQLite result code: its primary code is the low byte of the extended one.
    init(sqliteCode code: Int32) {
        switch code & 0xff {
        case SQLITE_FULL: self = .diskFull
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH: self = .readOnly
        case SQLITE_IOERR, SQLITE_CANTOPEN: self = .ioError
        case SQLITE_CORRUPT, SQLITE_NOTADB: self = .corrupt
        case SQLITE_CONSTRAINT: self = .rejected
        case SQLITE_BUSY, SQLITE_LOCKED: self = .busy
        default: self = .other
        }
    }

    /// The kind of a failed system call's `errno`.
    init(errno code: Int32) {
        switch code {
        case ENOSPC, EFBIG, EDQUOT: self = .diskFull
        case EROFS, EACCES, EPERM: self = .readOnly
        case EIO: self = .ioError
        case EWOULDBLOCK: self = .directoryInUse
        default: self = .other
        }
    }
}
