import Glibc

/// One server per data directory: a POSIX record lock (`fcntl` `F_SETLK`) on `LOCK` in it, held
/// while the store is open, plus this process's own list of the directories it holds.
///
/// Why a record lock: it belongs to the process, so the kernel drops it when the process dies,
/// even by `SIGKILL` (a crash never leaves a stale lock), and a child that the process forks does
/// not inherit it. A `flock` belongs to the open file instead, which a forked child shares until
/// it execs: a store closed while another thread was spawning a process stayed locked for a
/// moment (the tests, which spawn many processes, saw it). Why not SQLite's
/// `locking_mode=EXCLUSIVE`: it would also shut out readers, and `pipeline-server backup` must
/// read the database while the server runs.
///
/// A record lock does not stop a second store in the same process, and closing any descriptor of
/// the file would release it; so the process keeps a list of the directories it holds, checked
/// before `LOCK` is even opened, and opens each `LOCK` once.
final class DirectoryLock {
    private let descriptor: Int32
    private let key: String

    /// Takes the lock, or throws a sentence naming the directory and the holder's pid.
    init(directory: String) throws(StoreError) {
        let path = directory + "/LOCK"
        key = Self.canonical(directory)
        guard HeldDirectories.shared.insert(key) else { throw Self.inUse(directory, path, holder: getpid()) }
        let opened = unsafe open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            HeldDirectories.shared.remove(key)
            throw FileSystem.failure(
                errno, "cannot use the data directory \(directory): opening \(path) for writing failed")
        }
        var request = Self.wholeFile(F_WRLCK)
        guard unsafe fcntl(opened, F_SETLK, &request) == 0 else {
            let code = errno
            var probe = Self.wholeFile(F_WRLCK)
            let holder = unsafe fcntl(opened, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK ? probe.l_pid : nil
            close(opened)
            HeldDirectories.shared.remove(key)
            guard code == EAGAIN || code == EACCES else { throw FileSystem.failure(code, "cannot lock \(path)") }
            throw Self.inUse(directory, path, holder: holder)
        }
        descriptor = opened
        Self.write(pid: getpid(), to: opened)
    }

    /// Closing the descriptor releases the lock.
    deinit {
        close(descriptor)
        HeldDirectories.shared.remove(key)
    }

    private static func inUse(_ directory: String, _ path: String, holder: pid_t?) -> StoreError {
        let process = holder.map { " (process \($0))" } ?? ""
        return StoreError(
            .directoryInUse, code: EWOULDBLOCK,
            "the data directory \(directory) is in use by another pipeline server\(process): it holds \(path); stop that server or choose another data directory"
        )
    }

    /// A write or test lock over the whole file.
    private static func wholeFile(_ type: Int32) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        return lock
    }

    /// The directory's real path, so two spellings of one directory are one entry in the list.
    private static func canonical(_ directory: String) -> String {
        guard let resolved = unsafe realpath(directory, nil) else { return directory }
        defer { unsafe free(resolved) }
        return unsafe String(cString: resolved)
    }

    /// Only a hint for people who look into the directory: a failure here is not worth refusing to
    /// start.
    private static func write(pid: pid_t, to descriptor: Int32) {
        let text = Array("\(pid)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = unsafe text.withUnsafeBytes { unsafe pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
}

/// The data directories this process holds a store open in, behind a pthread mutex (which, unlike
/// `Synchronization.Mutex`, ThreadSanitizer understands).
@safe private final class HeldDirectories: @unchecked Sendable {
    // Ownership: the mutex is allocated once for the process and never freed (a static). Every
    // access to `keys` happens with it held, hence @unchecked Sendable.
    static let shared = HeldDirectories()
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var keys: Set<String> = []

    private init() {
        unsafe mutex = .allocate(capacity: 1)
        unsafe pthread_mutex_init(mutex, nil)
    }

    /// Adds `key`; false when it was there already.
    func insert(_ key: String) -> Bool {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return keys.insert(key).inserted
    }

    func remove(_ key: String) {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        keys.remove(key)
    }
}
