import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension SpawnedProcess {
    /// Starts the child with `streams` as its descriptors 0, 1 and 2 and nothing else open; returns
    /// its pid and the test's ends of the pipes (closed when their `FileHandle` goes away).
    static func spawn(
        _ executable: String, _ arguments: [String], _ environment: [String], _ streams: [Stream]
    ) throws -> (pid_t, [FileHandle?]) {
        // Both structures are plain data (glibc keeps the action list on the heap, behind a
        // pointer inside), so passing them with `&` to one call after another is sound even if
        // Swift hands over a temporary copy's address each time.
        var actions = unsafe posix_spawn_file_actions_t()
        try check(unsafe posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { unsafe posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [FileHandle?] = [nil, nil, nil]
        // The child's ends of the pipes: the parent's copies are closed once the child has its own,
        // or end of file would never come.
        var childEnds: [Int32] = []
        defer { for end in childEnds { close(end) } }
        for (target, stream) in zip(Int32(0)..., streams) {
            switch stream {
            case .inherited:
                break
            case .null:
                let mode = target == 0 ? O_RDONLY : O_WRONLY
                try check(unsafe posix_spawn_file_actions_addopen(&actions, target, "/dev/null", mode, 0), "addopen")
            case .pipe:
                let (read, write) = try makePipe()
                let (child, parent) = target == 0 ? (read, write) : (write, read)
                childEnds.append(child)
                parentEnds[Int(target)] = FileHandle(fileDescriptor: parent, closeOnDealloc: true)
                try check(unsafe posix_spawn_file_actions_adddup2(&actions, child, target), "adddup2")
            case .fileHandle(let handle):
                // `streams` keeps `handle`, so its descriptor stays open (and this file's) until
                // posix_spawn has returned.
                try check(unsafe posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target), "adddup2")
            case .standardOutput:
                precondition(target == 2, "only standard error can follow standard output")
                try check(unsafe posix_spawn_file_actions_adddup2(&actions, 1, 2), "adddup2")
            }
        }
        // After the dup2s (actions run in order): only 0, 1 and 2 stay open in the child.
        try check(unsafe cspawn_addclosefrom(&actions, 3), "addclosefrom")

        var attributes = posix_spawnattr_t()
        try check(unsafe posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { unsafe posix_spawnattr_destroy(&attributes) }
        // The child starts as a shell would start it: no signal blocked (a test thread may have
        // SIGTERM blocked) and every signal at its default action (none ignored).
        var none = sigset_t()
        var all = sigset_t()
        unsafe sigemptyset(&none)
        unsafe sigfillset(&all)
        try check(unsafe posix_spawnattr_setsigmask(&attributes, &none), "setsigmask")
        try check(unsafe posix_spawnattr_setsigdefault(&attributes, &all), "setsigdefault")
        try check(
            unsafe posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
            "setflags")

        var pid: pid_t = 0
        let result = unsafe withCStrings(arguments) { argv in
            unsafe withCStrings(environment) { envp in
                unsafe posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        // glibc's posix_spawn waits until the child has exec'd, so a missing or non-executable
        // file is reported here.
        try check(result, "posix_spawn \(executable)")
        return (pid, parentEnds)
    }

    /// A pipe whose two ends are close-on-exec: (read end, write end).
    private static func makePipe() throws -> (Int32, Int32) {
        var ends: [Int32] = [-1, -1]
        guard unsafe cspawn_pipe_cloexec(&ends) == 0 else {
            throw SpawnError(description: "pipe2 failed: errno \(errno)")
        }
        return (ends[0], ends[1])
    }

    /// Throws for a nonzero result of a posix_spawn function (which returns an errno value).
    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else {
            throw SpawnError(description: "\(what) failed: \(unsafe String(cString: strerror(result)))")
        }
    }

    /// Runs `body` with `strings` as a NULL-terminated C array of C strings (argv, envp). Sound:
    /// each string is a `strdup` copy that lives until `body` returns and is freed after it.
    private static func withCStrings<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        let copies = unsafe strings.map { string in
            guard let copy = unsafe strdup(string) else { preconditionFailure("out of memory") }
            return unsafe Optional(copy)
        }
        defer { for index in unsafe copies.indices { unsafe free(copies[index]) } }
        return unsafe (copies + [nil]).withUnsafeBufferPointer { unsafe body($0.baseAddress!) }
    }
}
