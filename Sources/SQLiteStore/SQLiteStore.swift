import Synchronization

/// The durable store: one SQLite file in a data directory, written by a thread of its own that
/// group-commits every batch queued since its last commit, and acknowledges a batch only once its
/// transaction is on disk (WAL, `synchronous=FULL`).
///
/// Thread-safe: `submit` may be called from any thread; completions never run on the caller's
/// stack but are handed to the `deliver` function given at open (the server passes its loop's
/// thread-safe `execute`), which must run them in the order it is given them.
public final class SQLiteStore: Sendable {
    /// Runs a job somewhere else, in the order jobs are given (the server's loop `execute`).
    public typealias Deliverer = @Sendable (@escaping @Sendable () -> Void) -> Void
    /// What a submitter hears back: the ticket of a durable batch, or why it is not durable.
    public typealias Completion = @Sendable (Result<CommitTicket, StoreError>) -> Void

    /// The data directory this store holds the lock of.
    public let directory: String
    /// The database file in it.
    public let databasePath: String

    /// The schema this store checks files against.
    let migrator: Migrator
    private let queue = SubmissionQueue()
    private let thread: WriterThread
    private let deliver: Deliverer
    private let statistics = StoreStatistics()
    private let isClosed = Atomic<Bool>(false)

    /// Opens (creating if needed) the store in `directory`: takes the directory's lock, refuses a
    /// file that is not ours, is damaged, is newer than this binary or cannot be written, applies
    /// the missing migrations, and starts the writer thread.
    public convenience init(directory: String, deliver: @escaping Deliverer) throws(StoreError) {
        try self.init(directory: directory, deliver: deliver, migrator: Migrator())
    }

    /// Opens with the given migrations: tests add a version this binary does not have yet.
    init(directory: String, deliver: @escaping Deliverer, migrator: Migrator) throws(StoreError) {
        self.directory = directory
        self.databasePath = Self.databasePath(in: directory)
        self.deliver = deliver
        self.migrator = migrator
        try FileSystem.makeDirectory(directory)
        let lock = try DirectoryLock(directory: directory)
        let database = try Self.openForWriting(databasePath, migrator: migrator)
        // A new database file must survive a power loss too, not only its contents.
        try FileSystem.sync(directory: directory)
        let committer = try GroupCommitter(
            database: database, lock: lock, queue: queue, deliver: deliver, statistics: statistics)
        thread = try WriterThread(running: committer)
    }

    deinit {
        close()
    }

    /// The database file's name inside a data directory.
    public static func databasePath(in directory: String) -> String {
        directory + "/pipeline.sqlite"
    }

    /// Queues `batch` for the next group commit; `completion` is delivered once it is durable, or
    /// with the reason it is not (a full disk, a read-only file, an I/O error: retry later; a batch
    /// the schema rejects; a closed store). Returns the batch's number in submission order, or nil
    /// if the store is closed.
    @discardableResult
    public func submit(_ batch: StoreBatch, completion: @escaping Completion) -> UInt64? {
        if let number = queue.push(batch, completion: completion) { return number }
        let error = StoreError(.closed, "the store in \(directory) is closed; the batch was not written")
        deliver { completion(.failure(error)) }
        return nil
    }

    /// How many transactions the writer has committed: fewer than the batches submitted when group
    /// commit joined them.
    public var committedTransactions: Int { statistics.transactions.load(ordering: .relaxed) }

    /// How many group transactions failed and were rolled back (every batch in them failed).
    public var failedTransactions: Int { statistics.failedTransactions.load(ordering: .relaxed) }

    /// After a commit failed, the store writes nothing until the server has gone back to what is
    /// committed (reloaded its state) and calls this: every batch submitted before the call fails,
    /// since it was made on top of the write that failed; later ones are written as usual.
    public func resume() {
        queue.resume()
    }

    /// Writes what is queued, stops the writer thread, closes the file and releases the directory.
    /// Safe to call more than once and from any thread but the writer's own (a completion).
    public func close() {
        guard isClosed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.close()
        thread.join()
    }
}
