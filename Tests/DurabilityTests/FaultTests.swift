import Foundation
import TestSupport
import Testing

/// Each fault the store can meet, on the real binary: a refusal to start with one sentence and
/// status 1, or (a full disk) 503 for writes while reads go on.
@Suite struct FaultTests {
    /// Starts a server that must refuse: status 1 and exactly one line on standard error, which
    /// is returned.
    static func refusal(_ data: String) throws -> String {
        let server = try DurableServer(dataDirectory: data)
        let status = server.waitForExit(seconds: 20)
        if status == nil { server.kill() }
        #expect(status == 1, "the server did not refuse to start: \(server.standardError)")
        let lines = server.standardError.split(separator: "\n")
        #expect(lines.count == 1, "standard error: \(server.standardError)")
        return server.standardError
    }

    /// A data directory holding a real store with one pipeline, stopped.
    static func storedDirectory(_ scratch: ScratchDirectory) throws -> String {
        let data = scratch.appending("data")
        let server = try DurableServer.start(dataDirectory: data)
        #expect(try server.client().post("/v1/pipelines", json: pipelineDocument(name: "kept")).status == 201)
        #expect(server.terminate() == 0)
        return data
    }

    @Test func secondServerOnTheSameDirectoryIsRefused() async throws {
        let scratch = try ScratchDirectory("second")
        let data = scratch.appending("data")
        try await onThread {
            let first = try DurableServer.start(dataDirectory: data)
            defer { _ = first.terminate() }
            let sentence = try Self.refusal(data)
            #expect(sentence.contains("the data directory \(data) is in use by another pipeline server"), "\(sentence)")
            #expect(sentence.contains("process \(first.process.processIdentifier)"), "\(sentence)")
            // The first one serves on, untouched.
            #expect(try first.client().get("/v1/pipelines").status == 200)
        }
    }

    @Test func fileThatIsNotSQLiteIsRefused() async throws {
        let scratch = try ScratchDirectory("notsqlite")
        let data = scratch.appending("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let text = String(repeating: "this is not a database\n", count: 360)
        try text.write(toFile: data + "/pipeline.sqlite", atomically: false, encoding: .utf8)
        try await onThread {
            let sentence = try Self.refusal(data)
            #expect(sentence.contains("\(data)/pipeline.sqlite is not a usable pipeline database"), "\(sentence)")
        }
        // Refused untouched.
        #expect(try String(contentsOfFile: data + "/pipeline.sqlite", encoding: .utf8) == text)
    }

    @Test func damagedDatabaseIsRefused() async throws {
        let scratch = try ScratchDirectory("damaged")
        try await onThread {
            let data = try Self.storedDirectory(scratch)
            // Every page after the first overwritten: the header still says SQLite.
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: data + "/pipeline.sqlite"))
            let size = try file.seekToEnd()
            try #require(size > 4096, "the store is one page only")
            try file.seek(toOffset: 4096)
            try file.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
            try file.close()
            let sentence = try Self.refusal(data)
            #expect(sentence.contains("\(data)/pipeline.sqlite"), "\(sentence)")
            #expect(sentence.contains("damaged"), "\(sentence)")
        }
    }

    @Test func newerSchemaIsRefused() async throws {
        let scratch = try ScratchDirectory("newer")
        try await onThread {
            let data = try Self.storedDirectory(scratch)
            try #require(
                run("/usr/bin/sqlite3", [data + "/pipeline.sqlite", "PRAGMA user_version = 99;"]) == 0,
                "the sqlite3 command could not raise user_version")
            let sentence = try Self.refusal(data)
            #expect(
                sentence.contains(
                    "\(data)/pipeline.sqlite has schema version 99, but this pipeline server knows versions up to"),
                "\(sentence)")
        }
    }

    @Test func databaseOfAnotherProgramIsRefused() async throws {
        let scratch = try ScratchDirectory("foreign")
        let data = scratch.appending("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try #require(run("/usr/bin/sqlite3", [data + "/pipeline.sqlite", "CREATE TABLE users(name TEXT);"]) == 0)
        try await onThread {
            let sentence = try Self.refusal(data)
            #expect(sentence.contains("is a SQLite database of another program"), "\(sentence)")
        }
    }

    @Test(
        .enabled(
            if: tmpfsMountsPermitted, "mounting a tmpfs is not permitted here (needs root in a permissive sandbox)"))
    func readOnlyDirectoryIsRefused() async throws {
        let scratch = try ScratchDirectory("readonly")
        try #require(scratch.mountTmpfs("mount", size: "1m"))
        let data = scratch.appending("mount/data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try #require(scratch.remountReadOnly("mount"))
        try await onThread {
            let sentence = try Self.refusal(data)
            #expect(sentence.contains("cannot use the data directory \(data)"), "\(sentence)")
            #expect(sentence.contains("Read-only file system"), "\(sentence)")
        }
    }

    @Test(
        .enabled(
            if: tmpfsMountsPermitted, "mounting a tmpfs is not permitted here (needs root in a permissive sandbox)"))
    func fullDiskAnswers503ForWritesAndReadsGoOn() async throws {
        let scratch = try ScratchDirectory("full")
        try #require(scratch.mountTmpfs("mount", size: "4m"))
        let data = scratch.appending("mount/data")
        let filler = scratch.appending("mount/filler")
        try await onThread {
            let server = try DurableServer.start(dataDirectory: data)
            defer { _ = server.terminate() }
            let client = try server.client()
            let kept = try client.post("/v1/pipelines", json: pipelineDocument(name: "committed"))
            try #require(kept.status == 201)
            let keptID = try #require(kept.json?["id"] as? String)
            let before = try client.get("/v1/pipelines")

            Self.fill(filler)
            let refused = try client.post("/v1/pipelines", json: pipelineDocument(name: "no room"))
            #expect(refused.status == 503, "a write on a full disk answered \(refused.status): \(refused.text)")
            #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(refused.header("Retry-After") != nil)
            // Reads go on, and show only what is committed.
            let list = try client.get("/v1/pipelines")
            #expect(list.status == 200)
            #expect(list.text == before.text, "the list shows what was not committed: \(list.text)")
            #expect(try client.get("/v1/pipelines/\(keptID)").status == 200)
            if let refusedID = refused.json?["id"] as? String {
                #expect(try client.get("/v1/pipelines/\(refusedID)").status == 404, "the refused pipeline is visible")
            }

            try FileManager.default.removeItem(atPath: filler)
            // The first write after room is back may still meet the failure being cleared up:
            // a few attempts, bounded.
            var again = try client.post("/v1/pipelines", json: pipelineDocument(name: "room again"))
            for _ in 0..<20 where again.status == 503 {
                usleep(50_000)
                again = try client.post("/v1/pipelines", json: pipelineDocument(name: "room again"))
            }
            #expect(again.status == 201, "after space was freed a write answered \(again.status): \(again.text)")
            let againID = try #require(again.json?["id"] as? String)
            #expect(try client.get("/v1/pipelines/\(againID)").status == 200)
        }
    }

    /// Writes a file until the file system is full (ENOSPC), down to the last byte.
    static func fill(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        for size in [65536, 4096, 512, 1] {
            let block = [UInt8](repeating: 0x55, count: size)
            while write(fd, block, size) == size {}
        }
    }
}
