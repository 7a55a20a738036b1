import Foundation
import PipelineClient

/// What `list-pipelines` and `get-pipeline` show on a terminal.
enum PipelineViews {
    /// A table of id, name, stage count and the status of each pipeline's newest run (one small
    /// `list-runs` request per pipeline, a few at a time).
    static func table(_ response: APIResponse, api: PipelineAPI, terminal: Terminal) async -> String {
        let pipelines = JSONBody.items(response.body, key: "pipelines")
        let ids = pipelines.map { $0["id"] as? String ?? "" }
        let lastRuns = await lastRunStatuses(ids, api: api)
        var table = Table(headers: ["ID", "NAME", "STAGES", "LAST RUN"])
        for pipeline in pipelines {
            let id = pipeline["id"] as? String ?? ""
            let status = lastRuns[id] ?? "none"
            table.rows.append([
                (id, .cyan), (pipeline["name"] as? String ?? "", nil),
                (String((pipeline["stages"] as? [Any])?.count ?? 0), nil), (status, Style.of(status: status)),
            ])
        }
        if pipelines.isEmpty { return "No pipelines yet: create one with pipeline create-pipeline --data @FILE\n" }
        return table.render(terminal)
    }

    /// The document as a short summary: name, id, ETag, repository, then one line per stage.
    static func summary(_ response: APIResponse, terminal: Terminal) -> String? {
        guard let pipeline = JSONBody.object(response.body) else { return nil }
        var text = terminal.paint(pipeline["name"] as? String ?? "", .bold) + "\n"
        text += "id:          \(pipeline["id"] as? String ?? "")\n"
        if let etag = response.etag { text += "etag:        \(etag)\n" }
        text += "repository:  \(pipeline["git_repository"] as? String ?? "")\n"
        text += "parallel:    \((pipeline["parallel"] as? Bool ?? false) ? "yes" : "no")\n\n"
        var table = Table(headers: ["STAGE", "TYPE", "TIMEOUT"])
        for stage in pipeline["stages"] as? [[String: Any]] ?? [] {
            let timeout = (stage["timeout"] as? Double).map { Durations.format($0) } ?? ""
            table.rows.append([
                (stage["name"] as? String ?? "", nil), (stage["type"] as? String ?? "", nil), (timeout, nil),
            ])
        }
        return text + table.render(terminal)
    }

    private static func lastRunStatuses(_ ids: [String], api: PipelineAPI) async -> [String: String] {
        await withTaskGroup(of: (String, String?).self) { group in
            var statuses: [String: String] = [:]
            var pending = ids[...]
            func next() {
                guard let id = pending.popFirst() else { return }
                group.addTask {
                    let page = try? await api.listRuns(pipelineID: id, limit: 1)
                    let newest = page.flatMap { JSONBody.items($0.body, key: "runs").first }
                    return (id, newest?["status"] as? String)
                }
            }
            for _ in 0..<8 { next() }
            for await (id, status) in group {
                if let status { statuses[id] = status }
                next()
            }
            return statuses
        }
    }
}
