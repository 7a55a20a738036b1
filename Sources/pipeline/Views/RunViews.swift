import Foundation
import PipelineClient

/// What `list-runs`, `get-run` and run following show on a terminal.
enum RunViews {
    /// A table of a pipeline's runs: id, status, when it was created, how long it took.
    static func table(_ response: APIResponse, terminal: Terminal) -> String {
        let runs = JSONBody.items(response.body, key: "runs")
        if runs.isEmpty { return "No runs yet: start one with pipeline trigger-pipeline ID\n" }
        var table = Table(headers: ["ID", "STATUS", "CREATED", "DURATION"])
        for run in runs {
            let status = run["status"] as? String ?? ""
            table.rows.append([
                (run["id"] as? String ?? "", .cyan), (status, Style.of(status: status)),
                (run["created_at"] as? String ?? "", nil),
                (Durations.between(run["created_at"], run["finished_at"]), nil),
            ])
        }
        return table.render(terminal)
    }

    /// A run's status and duration, then each stage with its status and how long it ran.
    static func summary(_ run: [String: Any], terminal: Terminal) -> String {
        let status = run["status"] as? String ?? ""
        let text =
            "Run \(terminal.paint(run["id"] as? String ?? "", .cyan)) "
            + terminal.paint(status, Style.of(status: status))
            + " after \(Durations.between(run["created_at"], run["finished_at"]))\n"
        var table = Table(headers: ["", "STAGE", "STATUS", "DURATION"])
        for stage in run["stages"] as? [[String: Any]] ?? [] {
            let stageStatus = stage["status"] as? String ?? ""
            table.rows.append([
                (symbol(stageStatus), Style.of(status: stageStatus)), (stage["name"] as? String ?? "", nil),
                (stageStatus, Style.of(status: stageStatus)),
                (Durations.between(stage["started_at"], stage["finished_at"]), nil),
            ])
        }
        return text + table.render(terminal)
    }

    /// One event of a followed run as a line: `✓ Run tests succeeded (1.2s)`.
    static func eventLine(_ event: [String: Any], stageStarted: Date?, terminal: Terminal) -> String {
        let type = event["type"] as? String ?? ""
        let (subject, status) =
            type.hasPrefix("stage_")
            ? (event["stage"] as? String ?? "", String(type.dropFirst(6)))
            : ("run", String(type.dropFirst(4)))
        var line = "\(terminal.paint(symbol(status), Style.of(status: status))) \(subject) \(status)"
        if let start = stageStarted, let end = Durations.date(event["at"]) {
            line += " (\(Durations.format(end.timeIntervalSince(start))))"
        }
        return line + "\n"
    }

    /// ✓ for success, ✗ for failure, ● for running, - for anything that did not run.
    static func symbol(_ status: String) -> String {
        switch status {
        case "succeeded": "✓"
        case "failed", "timed_out": "✗"
        case "running", "started", "queued": "●"
        default: "-"
        }
    }
}
