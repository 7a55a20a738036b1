import Glibc

/// The store's own thread, so disk I/O never runs on the event loop or the cooperative pool (a
/// 2-core machine has two pool threads, and an fsync-bound task would hold one of them).
final class WriterThread: Sendable {
    private let thread: pthread_t

    /// Starts a thread that runs `committer.run()`.
    init(running committer: GroupCommitter) throws(StoreError) {
        // Ownership: the retained reference travels to the new thread as the start argument and is
        // taken back (released) there; if the thread cannot start, it is released here.
        let context = unsafe Unmanaged.passRetained(committer).toOpaque()
        var started = pthread_t()
        let status = unsafe pthread_create(
            &started, nil,
            { context in
                let committer = unsafe Unmanaged<GroupCommitter>.fromOpaque(context!).takeRetainedValue()
                committer.run()
                return nil
            }, context)
        guard status == 0 else {
            unsafe Unmanaged<GroupCommitter>.fromOpaque(context).release()
            throw FileSystem.failure(status, "cannot start the store's writer thread")
        }
        thread = started
    }

    /// Waits for the thread to end (after the queue was closed).
    func join() {
        _ = pthread_join(thread, nil)
    }
}
