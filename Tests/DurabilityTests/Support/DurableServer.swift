import Foundation
import TestSupport

/// One run of the real `pipeline-server` binary on a data directory, started on port 0; the test
/// ends it with SIGTERM (a graceful stop) or SIGKILL (a crash). Several may run one after another
/// on the same directory.
final class DurableServer: @unchecked Sendable {
    let process: SpawnedProcess
    /// 0 until the server said where it listens.
    private(set) var port = 0
    let dataDirectory: String
    private let errorText = LockedBytes()
    /// Signalled when the reader of standard error has seen its end.
    private let errorsDrained = DispatchSemaphore(value: 0)

    /// Credentials given by environment, so the server logs no demo-account warning and a
    /// start-up failure is its one sentence alone on standard error.
    static let user = "durability"
    static let password = "durability-secret"

    /// The directory holding the built products (next to the test bundle).
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the server; call `waitUntilListening` (or `waitForExit` for a refusal) next.
    init(dataDirectory: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.dataDirectory = dataDirectory
        let binary = Self.productsDirectory.appendingPathComponent("pipeline-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "\(binary.path) is not built: run `swift build --build-tests` first")
        }
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("PIPELINE_") || key == "LD_PRELOAD" { env[key] = nil }
        env["PIPELINE_USERNAME"] = Self.user
        env["PIPELINE_PASSWORD"] = Self.password
        env.merge(environment) { $1 }
        process = try SpawnedProcess(
            binary.path, ["--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory] + arguments,
            environment: env, standardInput: .null, standardOutput: .pipe, standardError: .pipe)
        // A thread of its own reads standard error to its end (a libdispatch readability handler
        // was once seen crashing the test process as the server was killed). It holds the handle,
        // so the descriptor stays open, and cannot be reused, until it has read everything.
        let (errors, sink, drained) = (process.standardError!, errorText, errorsDrained)
        Thread.detachNewThread {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = Glibc.read(errors.fileDescriptor, &chunk, chunk.count)
                if count > 0 {
                    sink.append(Data(chunk[..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            drained.signal()
        }
    }

    /// Starts the server and waits for its `listening on` line.
    static func start(
        dataDirectory: String, arguments: [String] = [], environment: [String: String] = [:]
    ) throws -> DurableServer {
        let server = try DurableServer(dataDirectory: dataDirectory, arguments: arguments, environment: environment)
        do {
            try server.waitUntilListening()
        } catch {
            server.kill()
            throw error
        }
        return server
    }

    /// Reads standard output up to the `listening on http://HOST:PORT (state in …)` line (at most
    /// `seconds`), sets `port` and returns the line.
    @discardableResult
    func waitUntilListening(seconds: Double = 20) throws -> String {
        let handle = process.standardOutput!
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var ready = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(max(0, deadline.timeIntervalSinceNow) * 1000)) > 0 else {
                throw Failure(
                    description:
                        "pipeline-server printed no `listening on` line within \(seconds) s; stderr: \(standardError)")
            }
            var byte: UInt8 = 0
            guard read(handle.fileDescriptor, &byte, 1) == 1 else {
                let status = waitForExit(seconds: 5)  // and all of standard error read
                throw Failure(
                    description:
                        "pipeline-server exited (status \(status.map(String.init) ?? "unknown")) before listening; "
                        + "stderr: \(standardError)")
            }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        let url = text.split(separator: " ").dropFirst(2).first ?? ""
        guard text.hasPrefix("listening on http://"), let port = Int(url.split(separator: ":").last ?? "") else {
            throw Failure(description: "unexpected first line: \(text)")
        }
        self.port = port
        return text
    }

    /// A client on a new connection to this server.
    func client(receiveTimeout: Int = 10) throws -> HTTPClient {
        try HTTPClient(port: port, user: Self.user, password: Self.password, receiveTimeout: receiveTimeout)
    }

    /// A crash: SIGKILL, then the exit is reaped (bounded).
    func kill() {
        process.send(SIGKILL)
        _ = waitForExit(seconds: 10)
    }

    /// A graceful stop: SIGTERM, and the exit status (nil if it did not exit within `seconds`,
    /// after which it is killed).
    func terminate(seconds: Double = 20) -> Int32? {
        process.terminate()
        guard let status = waitForExit(seconds: seconds) else {
            kill()
            return nil
        }
        return status
    }

    /// The exit status once the process has ended, waiting at most `seconds`.
    func waitForExit(seconds: Double = 20) -> Int32? {
        guard let status = process.waitForExit(seconds: seconds) else { return nil }
        // The reader sees the end once the server is gone (bounded, in case a child of the
        // server still holds the pipe); signalled again for the next caller.
        if errorsDrained.wait(timeout: .now() + 5) == .success { errorsDrained.signal() }
        return status
    }

    /// What the server wrote to standard error so far (its log, or its start-up refusal).
    var standardError: String { errorText.text }

    deinit {
        process.send(SIGKILL)
    }
}

/// Bytes appended from another thread (the reader of a pipe).
final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()

    func append(_ data: Data) {
        lock.withLock { bytes.append(data) }
    }

    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
