import Foundation
import TestSupport

/// Starts the real `pipeline-server` binary on port 0 and stops it with SIGTERM.
final class ServerHarness: @unchecked Sendable {
    let process: SpawnedProcess
    let port: Int
    /// Where the server's standard error (its log) goes.
    let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-server-\(UUID()).log")

    /// The directory holding the built products (next to the test bundle).
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Why the server under test could not be started.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        let binary = Self.productsDirectory.appendingPathComponent("pipeline-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "\(binary.path) is not built: run `swift build --build-tests` first")
        }
        let host = arguments.contains("--host") ? [] : ["--host", "127.0.0.1"]
        // In memory unless a test names a data directory: the default would write into the
        // working directory, and servers of parallel tests would share it.
        let storage = arguments.contains("--data-dir") ? [] : ["--in-memory"]
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("PIPELINE_") { env[key] = nil }
        env.merge(environment) { $1 }
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = try SpawnedProcess(
            binary.path,
            host + ["--port", "0", "--log-level", "info", "--allowed-host", testHost] + storage + arguments,
            environment: env, standardInput: .null, standardOutput: .pipe,
            standardError: .fileHandle(try FileHandle(forWritingTo: logFile)))
        self.process = process
        do {
            port = try Self.readPort(from: process.standardOutput!)
        } catch {
            process.send(SIGKILL)
            throw error
        }
    }

    private static func readPort(from handle: FileHandle) throws -> Int {
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(20)
        while true {
            // Bounded: a server that never says where it listens fails the test, not hangs it.
            var ready = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(max(0, deadline.timeIntervalSinceNow) * 1000)) > 0 else {
                throw Failure(description: "pipeline-server printed no `listening on` line within 20 s")
            }
            let byte = try handle.read(upToCount: 1) ?? Data()
            guard let first = byte.first else { throw Failure(description: "pipeline-server exited before listening") }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        // `listening on http://HOST:PORT`, then a note on where state lives.
        let url = text.split(separator: " ").dropFirst(2).first ?? ""
        guard text.hasPrefix("listening on http://"), let port = Int(url.split(separator: ":").last ?? "") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return port
    }

    /// Sends SIGTERM and waits (up to `seconds`) for the exit status.
    func stop(seconds: Double = 20) -> Int32? {
        if let status = process.exitStatus { return status }
        process.terminate()
        if let status = process.waitForExit(seconds: seconds) { return status }
        process.send(SIGKILL)
        return nil
    }

    /// The log written so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        process.send(SIGKILL)
        try? FileManager.default.removeItem(at: logFile)
    }
}
