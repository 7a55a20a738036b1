import ArgumentParser
import Foundation
import PipelineClient

/// `watch`: follows GET /v1/events and prints each event's JSON on its own line.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow run and stage events as they happen, one JSON object per line.",
        discussion: """
            Runs until interrupted (Ctrl-C exits 0). When the connection drops, it reconnects \
            and resumes after the last event it printed (Last-Event-ID), so no event is lost or \
            repeated. Progress messages go to standard error.

            Example:
              pipeline watch --pipeline-id "$ID" | jq -c 'select(.type == "stage_started")'
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "Only events of this pipeline.") var pipelineId: String?
    @Option(help: "Reconnect when no bytes arrive for this many seconds.") var idleTimeout: Double = 300

    /// First and last wait between reconnection attempts, unless the server sent `retry:`.
    static let initialDelay = 1.0
    static let maximumDelay = 30.0

    func run() async throws {
        let api = try server.makeAPI()
        guard idleTimeout > 0, idleTimeout.isFinite else {
            throw Outcome.usageError("--idle-timeout must be a positive number of seconds")
        }
        // Ctrl-C ends the watch normally. Output is written unbuffered, so nothing is lost.
        signal(SIGINT) { _ in _exit(0) }
        var parser = ServerSentEventParser()
        var delay = Self.initialDelay
        var everConnected = false
        while true {
            do {
                let reason = try await follow(api, parser: &parser)
                everConnected = true
                delay = Self.initialDelay
                Outcome.printError("event stream lost: \(reason)")
            } catch let error as ClientError {
                guard everConnected else { throw Outcome.unreachable(error) }
                Outcome.printError(error.description)
            }
            parser.connectionDropped()
            let wait = parser.retryMilliseconds.map { Double($0) / 1000 } ?? delay
            let resume = parser.lastEventID.map { " after event \($0)" } ?? ""
            Outcome.printError("reconnecting in \(wait.formatted()) s\(resume)")
            try await Task.sleep(for: .seconds(wait))
            delay = min(delay * 2, Self.maximumDelay)
        }
    }

    /// Reads one connection until it ends and answers why it ended. Throws `ClientError` when no
    /// stream was opened; a non-2xx answer is printed and ends the command with the HTTP error code.
    private func follow(_ api: PipelineAPI, parser: inout ServerSentEventParser) async throws -> String {
        let stream = api.eventStream(pipelineID: pipelineId, lastEventID: parser.lastEventID, idleTimeout: idleTimeout)
        var status = 0
        var errorBody = Data()
        do {
            for try await part in stream {
                switch part {
                case .status(let code):
                    status = code
                    if (200..<300).contains(code) {
                        Outcome.printError("watching \(api.url(["v1", "events"]).absoluteString)")
                    }
                case .bytes(let bytes) where (200..<300).contains(status):
                    for event in parser.feed(bytes) { printEvent(event) }
                case .bytes(let bytes):
                    errorBody.append(bytes)
                }
            }
        } catch let error as ClientError {
            guard (200..<300).contains(status) else { throw error }
            return error.description
        }
        guard status != 0 else {
            throw ClientError.unexpectedResponse(url: api.url(["v1", "events"]).absoluteString, reason: "no HTTP response")
        }
        guard (200..<300).contains(status) else {
            try Outcome.emit(APIResponse(status: status, body: errorBody))
            return "unreachable"  // emit threw: the status is an error
        }
        return "the server closed it"
    }

    /// Prints one event's data on one line; data lines are rejoined with a space, which keeps a
    /// JSON value valid because a raw newline can only occur between tokens.
    private func printEvent(_ event: ServerSentEvent) {
        let line = event.data.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
