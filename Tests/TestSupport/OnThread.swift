import Foundation

/// Runs blocking socket work on a thread of its own, so the 2-thread cooperative pool never
/// stalls, but inside the calling test's task: `#expect` and `#require` in `work` are recorded
/// against that test (on a bare `Thread` they were filed under `Test «unknown»` and the test
/// passed), and what `work` returns or throws comes back to the test.
public func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withTaskExecutorPreference(ThreadPerJobExecutor()) { try work() }
}

/// A task executor that runs each job on a new thread, never on the cooperative pool.
public final class ThreadPerJobExecutor: TaskExecutor {
    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Sound: `withTaskExecutorPreference` holds this executor for as long as the jobs it
        // enqueues can run, so the unowned reference the job runs on stays valid.
        let executor = unsafe asUnownedTaskExecutor()
        Thread { unsafe job.runSynchronously(on: executor) }.start()
    }
}
