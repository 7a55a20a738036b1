import Foundation
import TestSupport

/// A temporary directory for one test, removed (with anything mounted on it unmounted) when the
/// test ends.
final class ScratchDirectory: @unchecked Sendable {
    let path: String
    private var mounts: [String] = []

    init(_ label: String) throws {
        var template = Array((NSTemporaryDirectory() + "durability-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: made)
    }

    /// A path inside the directory.
    func appending(_ name: String) -> String { path + "/" + name }

    /// Mounts a tmpfs of `size` (e.g. "4m") at `name` inside the directory; false where mounting is
    /// not permitted.
    func mountTmpfs(_ name: String, size: String) -> Bool {
        let target = appending(name)
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", target]) == 0 else { return false }
        mounts.append(target)
        return true
    }

    /// Remounts a tmpfs mounted by `mountTmpfs` read-only.
    func remountReadOnly(_ name: String) -> Bool {
        run("/bin/mount", ["-o", "remount,ro", appending(name)]) == 0
    }

    deinit {
        for target in mounts.reversed() { _ = run("/bin/umount", ["-l", target]) }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs a program to its end (bounded to 30 s) and returns its exit status; its output is dropped.
@discardableResult
func run(_ program: String, _ arguments: [String], input: String? = nil) -> Int32 {
    guard
        let process = try? SpawnedProcess(
            program, arguments, standardInput: input == nil ? .null : .pipe, standardOutput: .null, standardError: .null
        )
    else { return -1 }
    if let input, let pipe = process.standardInput {
        pipe.write(Data(input.utf8))
        try? pipe.close()
    }
    guard let status = process.waitForExit(seconds: 30) else {
        process.terminate()
        return -1
    }
    return status
}

/// Whether this machine lets the tests mount a tmpfs (root in a permissive sandbox).
let tmpfsMountsPermitted: Bool = {
    guard let scratch = try? ScratchDirectory("probe") else { return false }
    return scratch.mountTmpfs("probe", size: "1m")
}()

/// A pipeline document whose `name` marks which write it came from, with one stage of the given
/// timeout (seconds).
func pipelineDocument(name: String, timeout: Int = 60, stages: Int = 1, parallel: Bool = false) -> String {
    let stageList = (1...stages).map {
        #"{"name": "step \#($0)", "type": "Run", "command": "make check", "timeout": \#(timeout)}"#
    }
    return
        #"{"name": "\#(name)", "git_repository": "https://github.com/example/repo", "stages": [\#(stageList.joined(separator: ", "))], "parallel": \#(parallel)}"#
}
