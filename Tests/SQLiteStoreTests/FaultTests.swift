import Foundation
import Testing

@testable import SQLiteStore

/// Faults of the disk: a commit that cannot be written fails its whole group with a retryable
/// error and leaves the file as it was; nothing more is written (a later batch was made on top of
/// the failed one) until the server resumes the store, after which the writer goes on; and a directory or
/// file that cannot be written refuses to open. Tests run as root, where file modes stop nothing, so
/// faults come from a small or read-only tmpfs and from the immutable attribute.
struct FaultTests {
    static func bigBatch(_ number: Int) -> StoreBatch {
        var batch = StoreBatch()
        var pipeline = Sample.pipeline(number)
        pipeline.body = Array(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        batch.putPipeline(pipeline)
        return batch
    }

    /// Fills the file system holding `path` with a file there, until it is full.
    static func fill(_ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        let chunk = Data(repeating: 0, count: 4096)
        while (try? file.write(contentsOf: chunk)) != nil {}
    }

    @Test(.enabled(if: Faults.canMount, "needs root and permission to mount a tmpfs"))
    func aFullDiskFailsTheGroupRetryablyAndTheWriterGoesOnOnceThereIsRoom() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = directory.child("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: false)
        try Faults.mountTmpfs(at: disk, size: "2m")
        defer { Faults.unmount(disk) }

        let store = try SQLiteStore(directory: disk + "/data", deliver: inline)
        defer { store.close() }
        _ = try #require(await store.commit(Self.bigBatch(1))).get()
        try Self.fill(disk + "/filler")

        let full = try #require(await store.commit(Self.bigBatch(2)))
        let error = try #require(full.failure)
        #expect(error.kind == .diskFull)
        #expect(error.isRetryable)
        #expect(error.message == "committing failed on \(store.databasePath): database or disk is full")
        #expect(store.failedTransactions == 1)

        try FileManager.default.removeItem(atPath: disk + "/filler")
        try await Self.expectHaltedUntilResumed(store, kind: .diskFull)
    }

    @Test(.enabled(if: Faults.canMakeImmutable, "needs root and chattr on the temporary directory's file system"))
    func anIOErrorFailsTheGroupRetryablyAndTheWriterGoesOnOnceItIsGone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        _ = try #require(await store.commit(Self.bigBatch(1))).get()

        // Writes to an immutable file fail with EPERM even through a descriptor opened before.
        let wal = store.databasePath + "-wal"
        try Faults.setImmutable(wal, true)
        let failed = try #require(await store.commit(Self.bigBatch(2)))
        try Faults.setImmutable(wal, false)
        let error = try #require(failed.failure)
        #expect(error.kind == .ioError)
        #expect(error.isRetryable)
        #expect(error.message == "committing failed on \(store.databasePath): disk I/O error")

        try await Self.expectHaltedUntilResumed(store, kind: .ioError)
    }

    /// After a failed group, a batch fails unwritten with the same kind of fault (it was made on
    /// top of the failed one) even though the disk is fine again; after `resume` the next one is
    /// written, and the file holds the first pipeline and that one only.
    static func expectHaltedUntilResumed(_ store: SQLiteStore, kind: StoreError.Kind) async throws {
        let refused = try #require(await store.commit(Self.bigBatch(3)))
        #expect(refused.failure?.kind == kind)
        #expect(refused.failure?.isRetryable == true)
        #expect(refused.failure?.message.hasPrefix("not written: an earlier write could not be committed") == true)
        store.resume()
        _ = try #require(await store.commit(Self.bigBatch(4))).get()
        #expect(try store.load(recentEvents: 0).pipelines.map(\.id) == ["pipeline-1", "pipeline-4"])
    }

    @Test(.enabled(if: Faults.canMount, "needs root and permission to mount a tmpfs"))
    func aReadOnlyDirectoryRefusesToOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = directory.child("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: false)
        try Faults.mountTmpfs(at: disk, size: "1m")
        defer { Faults.unmount(disk) }
        let data = disk + "/data"
        try SQLiteStore(directory: data, deliver: inline).close()
        try Faults.remountReadOnly(disk)

        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .readOnly)
        #expect(
            error?.message
                == "cannot use the data directory \(data): opening \(data)/LOCK for writing failed: Read-only file system"
        )
    }

    @Test(.enabled(if: Faults.canMakeImmutable, "needs root and chattr on the temporary directory's file system"))
    func aDatabaseFileThatCannotBeWrittenRefusesToOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try SQLiteStore(directory: data, deliver: inline).close()
        let path = SQLiteStore.databasePath(in: data)
        try Faults.setImmutable(path, true)
        defer { try? Faults.setImmutable(path, false) }

        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .readOnly)
        #expect(
            error?.message
                == "\(path) cannot be written (SQLite could open it read-only only): make the file and its directory writable"
        )
    }
}
