import ArgumentParser
import Foundation
import PipelineClient

/// Follows one run from its first event to its end: what `watch --run-id` and
/// `trigger-pipeline --watch` share.
///
/// It subscribes to the pipeline's events first and only then starts (or looks up) the run, and
/// reads the run once per connection, so a run that ends before or between connections is still
/// seen to end.
struct RunFollower {
    let api: PipelineAPI
    let pipelineID: String
    let terminal: Terminal
    let idleTimeout: Double

    /// The statuses a run ends in.
    static let finished: Set<String> = ["succeeded", "failed", "cancelled"]

    /// Follows the run `start` names (it runs once, when the stream first opens, and may trigger
    /// it) and answers the run's final status. Events print as `watch` prints them.
    func follow(start: (PipelineAPI) async throws -> String) async throws -> String {
        var runID: String?
        var final: String?
        var stageStarts: [String: Date] = [:]
        try await EventFollower(api: api, pipelineID: pipelineID, idleTimeout: idleTimeout).run(
            onConnected: {
                let id: String
                if let known = runID { id = known } else { id = try await start(api) }
                runID = id
                let run = try await fetchRun(id)
                // Stages that started before we connected get their durations from the run.
                for stage in run["stages"] as? [[String: Any]] ?? [] {
                    if let name = stage["name"] as? String, let start = Durations.date(stage["started_at"]) {
                        stageStarts[name] = start
                    }
                }
                guard let status = run["status"] as? String, Self.finished.contains(status) else {
                    Outcome.printError("following run \(id)")
                    return .proceed
                }
                final = status
                return .stop
            },
            onEvent: { event in
                guard let json = JSONBody.object(Data(event.data.utf8)), json["run_id"] as? String == runID else {
                    return .proceed
                }
                let type = json["type"] as? String ?? ""
                let stage = json["stage"] as? String ?? ""
                if terminal.isHuman {
                    let started = type == "stage_started" ? nil : stageStarts[stage]
                    if type == "stage_started" { stageStarts[stage] = Durations.date(json["at"]) }
                    FileHandle.standardOutput.write(
                        Data(RunViews.eventLine(json, stageStarted: started, terminal: terminal).utf8))
                } else {
                    Watch.print(event, terminal: terminal)
                }
                guard type.hasPrefix("run_"), Self.finished.contains(String(type.dropFirst(4))) else { return .proceed }
                final = String(type.dropFirst(4))
                return .stop
            })
        let status = final ?? "unknown"
        if terminal.isHuman, let runID {
            FileHandle.standardOutput.write(
                Data(("\n" + RunViews.summary(try await fetchRun(runID), terminal: terminal)).utf8))
        } else {
            Outcome.printError("run \(runID ?? "") \(status)")
        }
        return status
    }

    /// Reads the run; a 404 (or any error answer) is reported and ends the command.
    func fetchRun(_ runID: String) async throws -> [String: Any] {
        let response = try await Self.request { () throws(ClientError) in
            try await api.run(pipelineID: pipelineID, runID: runID)
        }
        guard response.isSuccess else {
            try await Outcome.emit(response, terminal: terminal)
            return [:]
        }
        return JSONBody.object(response.body) ?? [:]
    }

    /// Answers `runID` once the run was found; used as `start` by `watch --run-id`.
    func checkRun(_ runID: String) async throws -> String {
        _ = try await fetchRun(runID)
        return runID
    }

    /// Fails with the server's 404 sentence when the pipeline does not exist, instead of
    /// following an event stream on which nothing will ever arrive.
    static func checkPipeline(_ pipelineID: String, api: PipelineAPI, terminal: Terminal) async throws {
        let response = try await request { () throws(ClientError) in try await api.pipeline(id: pipelineID) }
        if !response.isSuccess { try await Outcome.emit(response, terminal: terminal) }
    }

    /// Runs one request, turning a transport failure into the "cannot reach" exit.
    static func request(_ work: () async throws(ClientError) -> APIResponse) async throws -> APIResponse {
        do {
            return try await work()
        } catch {
            throw Outcome.unreachable(error)
        }
    }
}
