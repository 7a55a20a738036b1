import Glibc

/// A batch waiting for the writer, with the completion to call once it is durable (or not).
struct Submission: Sendable {
    /// Its number in submission order, from 1; the ticket carries it back.
    let number: UInt64
    let batch: StoreBatch
    let completion: @Sendable (Result<CommitTicket, StoreError>) -> Void
}

/// The queue between any submitting thread and the writer: a list behind a pthread mutex, and a
/// condition the writer sleeps on while the list is empty.
///
/// The writer takes the whole list at once, so every batch that arrived while the previous
/// transaction was being written and fsynced goes into the next one: group commit with no timer.
/// Submission numbers are given out under the same lock that orders the list, so they are the
/// order of commits and of completions.
@safe final class SubmissionQueue: @unchecked Sendable {
    // Ownership: the mutex and condition are allocated here, shared by every thread through this
    // object, and destroyed in deinit, when no thread can hold a reference any more. Every access
    // to `pending`, `submitted` and `isClosed` happens with `mutex` held, hence @unchecked Sendable.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [Submission] = []
    private var submitted: UInt64 = 0
    private var isClosed = false
    /// Set when a commit failed: every batch taken from then on fails with it, until `resume`.
    private var halt: StoreError?
    /// Batches numbered up to this fail: they were submitted before `resume`, built on state
    /// that included a write which never became durable.
    private var refusedThrough: UInt64 = 0
    /// What made the queue halt last; refused batches fail with its kind (so a full disk is
    /// still a retryable 503 for them).
    private var lastFault = StoreError(.other, "")

    init() {
        unsafe mutex = .allocate(capacity: 1)
        unsafe condition = .allocate(capacity: 1)
        unsafe pthread_mutex_init(mutex, nil)
        unsafe pthread_cond_init(condition, nil)
    }

    deinit {
        unsafe pthread_cond_destroy(condition)
        unsafe pthread_mutex_destroy(mutex)
        unsafe condition.deallocate()
        unsafe mutex.deallocate()
    }

    /// Queues a batch and wakes the writer; returns its number, or nil once the queue is closed.
    func push(
        _ batch: StoreBatch, completion: @escaping @Sendable (Result<CommitTicket, StoreError>) -> Void
    ) -> UInt64? {
        locked {
            guard !isClosed else { return nil }
            submitted += 1
            pending.append(Submission(number: submitted, batch: batch, completion: completion))
            unsafe pthread_cond_signal(condition)
            return submitted
        }
    }

    /// Blocks until something is queued, then takes all of it; returns nil when the queue is
    /// closed and drained, which ends the writer. `refused` are the batches that must fail
    /// unwritten (see `haltAfterFailure`), with the reason; they all come before `commit`.
    func takeAll() -> (refused: [Submission], reason: StoreError?, commit: [Submission])? {
        locked {
            while pending.isEmpty && !isClosed {
                unsafe pthread_cond_wait(condition, mutex)
            }
            guard !pending.isEmpty else { return nil }
            defer { pending = [] }
            let split =
                halt != nil ? pending.endIndex : pending.firstIndex { $0.number > refusedThrough } ?? pending.endIndex
            let reason = StoreError(
                lastFault.kind, code: lastFault.code,
                "not written: an earlier write could not be committed (\(lastFault.message)), and this one was made on top of it"
            )
            return (Array(pending[..<split]), split > 0 ? reason : nil, Array(pending[split...]))
        }
    }

    /// A group failed to commit: every later batch was made by a server that believed that group
    /// would be durable, so none may be written until the server has gone back to what is
    /// committed and called `resume`.
    func haltAfterFailure(_ error: StoreError) {
        locked {
            halt = error
            lastFault = error
        }
    }

    /// Accepts batches again, from the next one submitted; those submitted before now fail.
    func resume() {
        locked {
            halt = nil
            refusedThrough = submitted
        }
    }

    /// Refuses new batches; the writer still takes what is queued, then stops.
    func close() {
        locked {
            isClosed = true
            unsafe pthread_cond_signal(condition)
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return body()
    }
}
