import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests that run the real binaries and tools.
///
/// Foundation's `Process` is not used because on Linux its `run()` lists /proc/self/fd and copies
/// each entry as a whole `dirent`, reading up to 256 bytes past readdir's buffer; when that buffer
/// ends at an unmapped page the test process dies with SIGSEGV (a few percent of suite runs).
///
/// The child's standard streams are set up as the caller asks and it inherits no other descriptor
/// of the test process (sockets, other children's pipes): the spawn closes everything from 3 up.
/// Every member may be used from any thread. The child is reaped only with `reaped`'s lock held,
/// and signals are sent with it held, so a signal can never reach another process that was given
/// the same pid after the reap.
public final class SpawnedProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// The test process's own stream.
        case inherited
        /// /dev/null.
        case null
        /// A new pipe; the test's end is `standardInput`, `standardOutput` or `standardError`.
        case pipe
        /// An open file (a log file, a pseudo-terminal's end). The child gets a copy of its
        /// descriptor; the handle, held here until the spawn is done, stays the caller's to close.
        case fileHandle(FileHandle)
        /// For standard error only: wherever standard output goes (`2>&1`).
        case standardOutput
    }

    /// The child's process id; valid for `kill` until the child has been reaped.
    public let processIdentifier: pid_t
    /// The test's end of the child's standard input, if it is `.pipe`: write, then close for end of file.
    public let standardInput: FileHandle?
    /// The test's end of the child's standard output, if it is `.pipe`.
    public let standardOutput: FileHandle?
    /// The test's end of the child's standard error, if it is `.pipe`.
    public let standardError: FileHandle?
    /// The exit status once the child has been reaped (see `exitStatus`), nil until then.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` (a path; no search) with `arguments`. `environment` is exactly what the
    /// child gets; nil passes this process's environment on unchanged.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        standardInput: Stream = .inherited, standardOutput: Stream = .inherited, standardError: Stream = .inherited
    ) throws {
        let environment = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let (pid, parentEnds) = try Self.spawn(
            executable, [executable] + arguments, environment, [standardInput, standardOutput, standardError])
        processIdentifier = pid
        self.standardInput = parentEnds[0]
        self.standardOutput = parentEnds[1]
        self.standardError = parentEnds[2]
    }

    /// The child's exit status if it has ended (it is reaped then), nil while it runs. As with
    /// Foundation's `Process`, a child killed by a signal reports that signal's number.
    public var exitStatus: Int32? {
        reaped.withLock { status in
            if status == nil { status = Self.reapIfEnded(processIdentifier) }
            return status
        }
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { exitStatus == nil }

    /// Blocks until the child ends and returns its exit status.
    public func waitForExit() -> Int32 {
        // `WNOWAIT` waits for the end without reaping, so this thread does not hold the lock
        // while it blocks; the reap happens in `exitStatus`, under the lock. ECHILD means another
        // thread has reaped it already, which stored the status first.
        var info = unsafe siginfo_t()
        while unsafe waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        guard let status = exitStatus else {
            preconditionFailure("process \(processIdentifier) ended but was not reaped")
        }
        return status
    }

    /// The exit status once the child ends, or nil if it is still running after `seconds`.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if let status = exitStatus { return status }
            if ContinuousClock.now >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Waits for the end on a thread of its own, so no thread of the cooperative pool blocks.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.waitForExit()) }.start()
        }
    }

    /// Sends `signal` unless the child has been reaped already (a zombie takes it harmlessly).
    public func send(_ signal: Int32) {
        reaped.withLock { status in
            if status == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Sends SIGTERM, the graceful stop.
    public func terminate() { send(SIGTERM) }

    deinit {
        // A child dropped while it runs is reaped by a thread of its own once it ends, so it does
        // not stay a zombie for the rest of the test run. Nothing else can reap or signal it now.
        guard reaped.withLock({ $0 ?? Self.reapIfEnded(processIdentifier) }) == nil else { return }
        let pid = processIdentifier
        Thread {
            var raw: Int32 = 0
            while unsafe waitpid(pid, &raw, 0) == -1, errno == EINTR {}
        }.start()
    }

    /// Reaps the child if it has ended and returns its status; nil if it is still running.
    private static func reapIfEnded(_ pid: pid_t) -> Int32? {
        var raw: Int32 = 0
        while true {
            let result = unsafe waitpid(pid, &raw, WNOHANG)
            if result == pid { return decode(raw) }
            if result == -1, errno == EINTR { continue }
            // ECHILD would mean something else in the test process reaped our child.
            precondition(result == 0, "waitpid(\(pid)) failed: errno \(errno)")
            return nil
        }
    }

    /// `WEXITSTATUS` for a child that exited, `WTERMSIG` for one a signal killed (the macros are
    /// not visible to Swift; this is their glibc definition). No stop is ever reported: no
    /// `WUNTRACED` is asked for.
    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }
}

/// Why a child could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
}
