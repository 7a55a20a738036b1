import Glibc

/// One server per data directory: an exclusive `flock` on `LOCK` in it, held while the store is open.
///
/// Why `flock` rather than SQLite's `locking_mode=EXCLUSIVE`: the SQLite lock would also shut out
/// readers, and `pipeline-server backup` must read the database while the server runs. A `flock`
/// belongs to one open file description, so it refuses a second store in the same process as well as
/// in another one, and the kernel drops it when the process dies, even by `SIGKILL`: a crash never
/// leaves a stale lock to clean up. The file holds the owner's pid, for the refusal's sentence.
final class DirectoryLock {
    private let descriptor: Int32

    /// Takes the lock, or throws a sentence naming the directory (and the holder's pid when known).
    init(directory: String) throws(StoreError) {
        let path = directory + "/LOCK"
        let opened = unsafe open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw FileSystem.failure(
                errno, "cannot use the data directory \(directory): opening \(path) for writing failed")
        }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.pid(in: opened).map { " (process \($0))" } ?? ""
            close(opened)
            guard code == EWOULDBLOCK else { throw FileSystem.failure(code, "cannot lock \(path)") }
            throw StoreError(
                .directoryInUse, code: code,
                "the data directory \(directory) is in use by another pipeline server\(holder): it holds \(path); stop that server or choose another data directory"
            )
        }
        descriptor = opened
        Self.write(pid: getpid(), to: opened)
    }

    /// Closing the descriptor releases the lock.
    deinit {
        close(descriptor)
    }

    private static func write(pid: pid_t, to descriptor: Int32) {
        // Only a hint for the refusal's sentence: a failure here is not worth refusing to start.
        let text = Array("\(pid)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = unsafe text.withUnsafeBytes { unsafe pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func pid(in descriptor: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = unsafe buffer.withUnsafeMutableBytes { unsafe pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int(text.split(whereSeparator: { $0 == "\n" }).first ?? "")
    }
}
