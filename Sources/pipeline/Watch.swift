import ArgumentParser
import Foundation
import PipelineClient

/// `watch`: follows GET /v1/events and prints each event's JSON on its own line, or follows one
/// run to its end (`--run-id`).
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow run and stage events as they happen, one JSON object per line.",
        discussion: """
            Runs until interrupted (Ctrl-C exits 0). When the connection drops, it reconnects \
            and resumes after the last event it printed (Last-Event-ID), so no event is lost or \
            repeated. Progress messages go to standard error. A pipeline or run that does not \
            exist is reported at once (exit 1).

            With --run-id, follows that run only and exits when it ends; with --exit-status the \
            exit status is 0 if it succeeded and 2 if it failed or was cancelled. On a terminal \
            each stage is shown as it starts and ends, with its duration.

            Examples:
              pipeline watch -p "$ID" | jq -c 'select(.type == "stage_started")'
              pipeline watch -p "$ID" --run-id "$RUN" --exit-status
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions
    @Option(name: [.customShort("p"), .long], help: "Only events of this pipeline.") var pipelineId: String?
    @Option(name: [.customShort("r"), .long], help: "Follow this run (needs --pipeline-id) until it ends.") var runId:
        String?
    @Flag(help: "With --run-id: exit 0 if the run succeeded, 2 if it failed or was cancelled.") var exitStatus = false
    @Option(help: "Reconnect when no bytes arrive for this many seconds.") var idleTimeout: Double = 300

    func validate() throws {
        if let pipelineId { try IDArguments.refuseBlank(pipelineId, kind: "pipeline") }
        if let runId {
            try IDArguments.refuseBlank(runId, kind: "run")
            guard pipelineId != nil else { throw ValidationError("--run-id needs --pipeline-id (the run's pipeline)") }
        }
        if exitStatus, runId == nil { throw ValidationError("--exit-status needs --run-id") }
        guard idleTimeout > 0, idleTimeout.isFinite else {
            throw ValidationError("--idle-timeout must be a positive number of seconds")
        }
    }

    func run() async throws {
        let api = try await server.makeAPI()
        let terminal = output.terminal
        // Ctrl-C ends the watch normally. Output is written unbuffered, so nothing is lost.
        signal(SIGINT) { _ in _exit(0) }
        if let pipelineId, let runId {
            let follower = RunFollower(api: api, pipelineID: pipelineId, terminal: terminal, idleTimeout: idleTimeout)
            let status = try await follower.follow { _ in try await follower.checkRun(runId) }
            if exitStatus, status != "succeeded" { throw Outcome.runFailed }
            return
        }
        if let pipelineId { try await RunFollower.checkPipeline(pipelineId, api: api, terminal: terminal) }
        try await EventFollower(api: api, pipelineID: pipelineId, idleTimeout: idleTimeout).run(
            onConnected: {
                Outcome.printError("watching \(api.url(["v1", "events"]).absoluteString)")
                return .proceed
            },
            onEvent: { event in
                Self.print(event, terminal: terminal)
                return .proceed
            })
    }

    /// Prints one event's data on one line; data lines are rejoined with a space, which keeps a
    /// JSON value valid because a raw newline can only occur between tokens. On a terminal, a
    /// short line (time, type, stage, run) instead.
    static func print(_ event: ServerSentEvent, terminal: Terminal) {
        var line = event.data.replacingOccurrences(of: "\n", with: " ")
        if terminal.isHuman, let json = JSONBody.object(Data(line.utf8)) {
            let type = json["type"] as? String ?? event.type
            let time = (json["at"] as? String).map { String($0.dropFirst(11).prefix(8)) } ?? ""
            line =
                "\(terminal.paint(time, .dim)) \(terminal.paint(type, Style.of(status: String(type.split(separator: "_").last ?? ""))))"
                + " \(json["stage"] as? String ?? "") \(terminal.paint("run \(json["run_id"] as? String ?? "")", .dim))"
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
