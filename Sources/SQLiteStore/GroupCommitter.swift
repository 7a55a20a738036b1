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

    /// Writes a group in one transaction. A fault of the file (full, read-only, I/O) fails the
    /// whole group and leaves the database as it was. A batch the schema rejects (a bug in the
    /// caller, so rare) must fail alone: the group is then written again with each batch in a
    /// savepoint of its own, a cost only that path pays.
    /// Also returns the fault when the whole group failed, which halts the queue.
    private func commit(_ group: [Submission]) -> ([Result<CommitTicket, StoreError>], fault: StoreError?) {
        do throws(StoreError) {
            try database.transaction { () throws(StoreError) in
                for submission in group { try writer.apply(submission.batch) }
                try writer.finishGroup()
            }
            return (succeeded(group, rejected: [], in: committedTransaction()), nil)
        } catch  where error.kind == .rejected {
            writer.discardGroup()
            return commitIsolatingEachBatch(group)
        } catch {
            writer.discardGroup()
            return failed(group, rejected: [], with: error)
        }
    }

    /// The slow path of `commit`: each batch in a savepoint, so a rejected one fails alone.
    private func commitIsolatingEachBatch(_ group: [Submission]) -> (
        [Result<CommitTicket, StoreError>], fault: StoreError?
    ) {
        var rejected: [StoreError?] = Array(repeating: nil, count: group.count)
        do throws(StoreError) {
            try database.transaction { () throws(StoreError) in
                for (index, submission) in group.enumerated() {
                    do throws(StoreError) {
                        try database.savepoint { () throws(StoreError) in try writer.apply(submission.batch) }
                    } catch  where error.kind == .rejected {
                        rejected[index] = error
                    }
                }
                try writer.finishGroup()
            }
        } catch {
            writer.discardGroup()
            return failed(group, rejected: rejected, with: error)
        }
        return (succeeded(group, rejected: rejected, in: committedTransaction()), nil)
    }

    private func committedTransaction() -> UInt64 {
        UInt64(statistics.transactions.add(1, ordering: .relaxed).newValue)
    }

    private func succeeded(_ group: [Submission], rejected: [StoreError?], in transaction: UInt64)
        -> [Result<CommitTicket, StoreError>]
    {
        group.indices.map { index in
            if index < rejected.count, let error = rejected[index] { return .failure(error) }
            return .success(CommitTicket(batch: group[index].number, transaction: transaction))
        }
    }

    private func failed(_ group: [Submission], rejected: [StoreError?], with error: StoreError)
        -> ([Result<CommitTicket, StoreError>], fault: StoreError?)
    {
        statistics.failedTransactions.add(1, ordering: .relaxed)
        let outcomes = group.indices.map { index -> Result<CommitTicket, StoreError> in
            .failure((index < rejected.count ? rejected[index] : nil) ?? error)
        }
        return (outcomes, error)
    }
}

/// Counts kept by the writer and read by anyone: how many transactions group commit needed.
final class StoreStatistics: Sendable {
    let transactions = Atomic<Int>(0)
    let failedTransactions = Atomic<Int>(0)
}
