import Foundation

/// Ways to make a directory fail as root, where permissions do not stop writes: a small tmpfs for a
/// full disk, a read-only remount, and the immutable attribute (`chattr +i`) that refuses root.
enum Faults {
    /// True when this process may mount a tmpfs (root in a sandbox that allows it).
    static let canMount: Bool = {
        guard geteuid() == 0, let directory = try? TemporaryDirectory("mount-probe") else { return false }
        defer { directory.remove() }
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount2(directory.path, Int32(MNT_DETACH))
        return true
    }()

    /// True when `chattr +i` works on the temporary directory's file system (ext4 does; tmpfs does not).
    static let canMakeImmutable: Bool = {
        guard geteuid() == 0, let directory = try? TemporaryDirectory("chattr-probe") else { return false }
        defer { directory.remove() }
        let file = directory.child("probe")
        guard FileManager.default.createFile(atPath: file, contents: nil),
            (try? shell(["chattr", "+i", file]))?.status == 0
        else { return false }
        _ = try? shell(["chattr", "-i", file])
        return true
    }()

    /// Mounts a tmpfs of `size` (e.g. "256k") on `path`.
    static func mountTmpfs(at path: String, size: String) throws {
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size)") == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    /// Makes a mounted tmpfs read-only; only possible while nothing on it is open for writing.
    static func remountReadOnly(_ path: String) throws {
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), nil) == 0 else {
            throw POSIXError(.init(rawValue: errno)!)
        }
    }

    static func unmount(_ path: String) {
        umount2(path, Int32(MNT_DETACH))
    }

    /// Sets or clears the immutable attribute: no one, root included, may write the file then.
    static func setImmutable(_ path: String, _ immutable: Bool) throws {
        let result = try shell(["chattr", immutable ? "+i" : "-i", path])
        guard result.status == 0 else { throw POSIXError(.EPERM) }
    }
}
