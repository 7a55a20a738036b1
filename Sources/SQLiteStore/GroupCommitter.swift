import Synchronization

/// The writer thread's work: takes everything queued, writes it in one transaction, and hands the
/// completions to the deliverer in submission order.
///
/// Ownership: created by the opening thread, then handed whole to the writer thread, which is its
/// only user from then on; the connection, its statements and the directory lock go when the thread
/// ends (the lock last, so the next opener finds the file closed).
final class GroupCommitter {
    private let database: Database
    private let writer: BatchWriter
    private let lock: DirectoryLock
    private let queue: SubmissionQueue
    private let deliver: SQLiteStore.Deliverer
    private let statistics: StoreStatistics

    init(
        database: Database, lock: DirectoryLock, queue: SubmissionQueue,
        deliver: @escaping SQLiteStore.Deliverer, statistics: StoreStatistics
    ) throws(StoreError) {
        self.database = database
        self.writer = try BatchWriter(database: database)
        self.lock = lock
        self.queue = queue
        self.deliver = deliver
        self.statistics = statistics
    }

    /// The thread's body: returns once the queue is closed and drained.
    func run() {
        while let taken = queue.takeAll() {
            var calls = taken.refused.map { ($0.completion, Result<CommitTicket, StoreError>.failure(taken.reason!)) }
            if !taken.commit.isEmpty {
                let (outcomes, fault) = commit(taken.commit)
                if let fault { queue.haltAfterFailure(fault) }
                calls += zip(taken.commit, outcomes).map { ($0.completion, $1) }
            }
            let delivered = calls
            deliver {
                for (completion, outcome) in delivered { completion(outcome) }
            }
        }
    }

    /// Writes a group in one transaction, each batch in a savepoint of its own: a batch the schema
    /// rejects fails alone, while a fault of the file (full, read-only, I/O) fails the whole group
    /// and leaves the database as it was.
    /// Also returns the fault when the whole group failed, which halts the queue.
    private func commit(_ group: [Submission]) -> ([Result<CommitTicket, StoreError>], fault: StoreError?) {
        var rejected: [StoreError?] = Array(repeating: nil, count: group.count)
        do throws(StoreError) {
            try database.transaction { () throws(StoreError) in
                for (index, submission) in group.enumerated() {
                    do throws(StoreError) {
                        try database.savepoint { () throws(StoreError) in try writer.apply(submission.batch) }
                    } catch where error.kind == .rejected {
                        rejected[index] = error
                    }
                }
            }
        } catch {
            statistics.failedTransactions.add(1, ordering: .relaxed)
            return (group.indices.map { .failure(rejected[$0] ?? error) }, error)
        }
        let transaction = UInt64(statistics.transactions.add(1, ordering: .relaxed).newValue)
        let outcomes = group.indices.map { index -> Result<CommitTicket, StoreError> in
            if let error = rejected[index] { return .failure(error) }
            return .success(CommitTicket(batch: group[index].number, transaction: transaction))
        }
        return (outcomes, nil)
    }
}

/// Counts kept by the writer and read by anyone: how many transactions group commit needed.
final class StoreStatistics: Sendable {
    let transactions = Atomic<Int>(0)
    let failedTransactions = Atomic<Int>(0)
}
