import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// A store that cannot be used safely refuses to open, with one sentence that says why and where.
struct OpenRefusalTests {
    @Test func aSecondStoreInTheSameProcessIsRefusedNamingTheDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        let store = try SQLiteStore(directory: data, deliver: inline)
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .directoryInUse)
        #expect(
            error?.message
                == "the data directory \(data) is in use by another pipeline server (process \(getpid())): it holds \(data)/LOCK; stop that server or choose another data directory"
        )
        store.close()
        // Closing releases the directory.
        try SQLiteStore(directory: data, deliver: inline).close()
    }

    @Test func aDirectoryLockedByAnotherProcessIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try SQLiteStore(directory: data, deliver: inline).close()
        // Another process takes the same lock a second server would (a POSIX record lock on LOCK),
        // then waits for its standard input.
        let script = """
            import fcntl, sys
            lock = open(sys.argv[1], "a")
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print("held", flush=True)
            sys.stdin.readline()
            """
        let holder = try SpawnedProcess(
            "/usr/bin/env", ["python3", "-c", script, "\(data)/LOCK"], standardInput: .pipe, standardOutput: .pipe)
        defer {
            try? holder.standardInput?.close()
            _ = holder.waitForExit()
        }
        // "held" comes once the lock is taken; the newline may arrive in a read of its own.
        let line = String(decoding: holder.standardOutput!.availableData, as: UTF8.self)
        try #require(line.hasPrefix("held"))

        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .directoryInUse)
        #expect(
            error?.message.hasPrefix(
                "the data directory \(data) is in use by another pipeline server (process \(holder.processIdentifier))")
                == true)
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        let text = Data(repeating: UInt8(ascii: "x"), count: 8192)
        try text.write(to: URL(fileURLWithPath: SQLiteStore.databasePath(in: data)))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .corrupt)
        #expect(
            error?.message.hasPrefix(
                "\(data)/pipeline.sqlite is not a usable pipeline database: it is not a SQLite file or it is damaged")
                == true)
        #expect(error?.message.contains("file is not a database") == true)
    }

    @Test func aDamagedDatabaseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        var batch = StoreBatch()
        for number in 1...200 { batch.putPipeline(Sample.pipeline(number)) }
        try await SQLiteStore.written(batch, in: data)
        // Overwrite every page after the schema's with garbage; page 1 (header, schema) stays.
        let path = SQLiteStore.databasePath(in: data)
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try file.seekToEnd()
        try file.seek(toOffset: 4096)
        try file.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try file.close()

        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.hasPrefix("\(path) is damaged (") == true)
        #expect(error?.message.hasSuffix("); restore a backup") == true)
    }

    @Test func aSQLiteDatabaseOfAnotherProgramIsRefusedUntouched() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        let path = SQLiteStore.databasePath(in: data)
        try Database(path: path, create: true).execute("CREATE TABLE users (name TEXT)")
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .foreignDatabase)
        #expect(
            error?.message
                == "\(path) is a SQLite database of another program (application_id 0, schema version 0, 1 tables or indexes); the pipeline server will not touch it"
        )
        #expect(try Database(path: path, create: false).texts("SELECT name FROM sqlite_schema") == ["users"])
    }

    @Test func aDatabaseOfANewerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.child("data")
        try SQLiteStore(directory: data, deliver: inline).close()
        let path = SQLiteStore.databasePath(in: data)
        let newer = Schema.latestVersion + 1
        try Database(path: path, create: false).execute("PRAGMA user_version = \(newer)")
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: data, deliver: inline) }
        #expect(error?.kind == .newerSchema)
        #expect(
            error?.message
                == "\(path) has schema version \(newer), but this pipeline server knows versions up to \(Schema.latestVersion): it was written by a newer release; run that release, or restore a backup made by this one"
        )
    }
}
