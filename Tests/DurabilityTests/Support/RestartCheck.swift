import Foundation

/// Checks a restarted server against the crash test's ledger, and settles the ledger to what the
/// server now holds (it is durable: the next round builds on it). Every difference that breaks a
/// rule is noted as a violation; none stops the test.
struct RestartCheck {
    let client: HTTPClient
    let ledger: Ledger
    let template: Template

    func run(final: Bool) throws {
        try checkPipelines()
        try checkList()
        try checkRuns(final: final)
        if final { try checkEventReplay() }
    }

    /// Each pipeline known to exist: there, at the version acknowledged or seen (or the one write
    /// in flight), with the exact body written; each acknowledged delete: gone.
    private func checkPipelines() throws {
        let known = ledger.locked { $0.pipelines.values.filter { !$0.gone }.map(\.id) }
        for id in known {
            let reply = try client.get("/v1/pipelines/\(id)")
            ledger.locked { ledger in
                guard var pipeline = ledger.pipelines[id] else { return }
                defer {
                    pipeline.pending = nil
                    ledger.addPipeline(pipeline)
                }
                guard reply.status == 200, let version = reply.version else {
                    if reply.status != 404 {
                        return ledger.note(
                            "GET pipeline \(id) answered \(reply.status) (ETag \(reply.header("ETag") ?? "none")) after a restart: \(reply.text)"
                        )
                    }
                    pipeline.gone = true
                    if pipeline.deleteAcknowledged || pipeline.pending == .delete {
                        ledger.figures["deletes checked", default: 0] += 1
                    } else if pipeline.acknowledged > 0 {
                        ledger.note(
                            "pipeline \(id), whose version \(pipeline.acknowledged) was acknowledged, is gone after a restart"
                        )
                    } else {
                        ledger.note(
                            "pipeline \(id), which a reader saw at version \(pipeline.seen), is gone after a restart")
                    }
                    return
                }
                if pipeline.deleteAcknowledged {
                    ledger.note(
                        "pipeline \(id) was deleted (acknowledged) but is back at version \(version) after a restart")
                    pipeline.deleteAcknowledged = false  // it is there now: reported once
                }
                if version < pipeline.acknowledged {
                    ledger.note(
                        "pipeline \(id): acknowledged version \(pipeline.acknowledged) lost, version \(version) after a restart"
                    )
                } else if version < pipeline.seen {
                    ledger.note(
                        "pipeline \(id): version \(pipeline.seen), which a reader saw, lost; version \(version) after a restart"
                    )
                }
                var expected: [UInt8]?
                if let name = pipeline.names[version] {
                    expected = template.body(id: id, name: name)
                } else if case .update(let name) = pipeline.pending, version > pipeline.seen {
                    expected = template.body(id: id, name: name)  // the update in flight made it
                    pipeline.names[version] = name
                } else {
                    expected = pipeline.bodies[version]
                }
                if let expected, expected == reply.body {
                    ledger.figures["pipeline versions checked byte for byte", default: 0] += 1
                } else if let expected {
                    ledger.note(
                        "pipeline \(id) version \(version) reads \(reply.text) after a restart; expected \(String(decoding: expected, as: UTF8.self))"
                    )
                } else {
                    ledger.note("pipeline \(id) has version \(version) after a restart, which no write made")
                }
                // What the server holds now is durable: later rounds build on it.
                pipeline.acknowledged = version
                pipeline.seen = version
                pipeline.names = pipeline.names.filter { $0.key <= version }
                pipeline.bodies = pipeline.bodies.filter { $0.key <= version }
            }
        }
    }

    /// The whole list, page by page through its cursors: every live pipeline once, no gone one,
    /// the order of the last check kept, and nothing nobody created (a create in flight may have
    /// happened: it is adopted).
    private func checkList() throws {
        var listed: [(id: String, name: String)] = []
        var path = "/v1/pipelines?limit=500"
        for _ in 0..<100 {
            let page = try client.get(path)
            guard page.status == 200, let json = page.json else {
                ledger.violation("GET \(path) answered \(page.status) after a restart")
                return
            }
            for item in json["pipelines"] as? [[String: Any]] ?? [] {
                listed.append((item["id"] as? String ?? "", item["name"] as? String ?? ""))
            }
            guard let cursor = json["next_cursor"] as? String else { break }
            path =
                "/v1/pipelines?limit=500&cursor="
                + (cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)
        }
        var adopt: [(id: String, name: String, owner: Int)] = []
        ledger.locked { ledger in
            let ids = listed.map(\.id)
            let present = Set(ids)
            if present.count != ids.count { ledger.note("the pipeline list names a pipeline twice after a restart") }
            for pipeline in ledger.pipelines.values {
                if pipeline.gone, present.contains(pipeline.id) {
                    ledger.note("pipeline \(pipeline.id) is listed but its GET is 404")
                } else if !pipeline.gone, !present.contains(pipeline.id) {
                    ledger.note("pipeline \(pipeline.id) is missing from the list after a restart")
                }
            }
            for item in listed where ledger.pipelines[item.id] == nil {
                if let owner = ledger.pendingCreates[item.name] {
                    adopt.append((item.id, item.name, owner))
                } else {
                    ledger.note("pipeline \(item.id) (\(item.name)) is listed after a restart but nobody created it")
                }
            }
            let earlier = ledger.listOrder.filter { present.contains($0) }
            let earlierSet = Set(earlier)
            if ids.filter({ earlierSet.contains($0) }) != earlier {
                ledger.note("the pipeline list's order changed across a restart")
            }
            ledger.listOrder = ids
            ledger.clearPendingCreates()
        }
        for item in adopt {
            let reply = try client.get("/v1/pipelines/\(item.id)")
            guard reply.status == 200, let version = reply.version else { continue }
            if reply.body != template.body(id: item.id, name: item.name) {
                ledger.violation("pipeline \(item.id), created in flight, reads \(reply.text)")
            }
            ledger.locked { ledger in
                ledger.addPipeline(
                    .init(
                        id: item.id, owner: item.owner, names: [version: item.name], acknowledged: version,
                        seen: version))
                ledger.figures["creates in flight that happened", default: 0] += 1
            }
        }
    }

    /// Each live pipeline's runs: every acknowledged or seen run there, finished ones unchanged
    /// byte for byte, and none still running past its stage's deadline (polled, bounded).
    private func checkRuns(final: Bool) throws {
        let live = ledger.locked { $0.pipelines.values.filter { !$0.gone }.map(\.id) }
        let gone = ledger.locked { ledger in
            ledger.runs.filter { ledger.pipelines[$0.value.pipelineID]?.gone ?? true }.map(\.key)
        }
        ledger.locked { ledger in
            for run in gone { ledger.removeRun(run) }
        }
        var unfinished: [(pipeline: String, run: String, deadline: Date)] = []
        for id in live {
            let list = try client.get("/v1/pipelines/\(id)/runs")
            let runs = list.json?["runs"] as? [[String: Any]] ?? []
            var listed: [String: String] = [:]
            for run in runs {
                guard let runID = run["id"] as? String, let status = run["status"] as? String else { continue }
                listed[runID] = status
                if !Ledger.isFinal(status) {
                    unfinished.append((id, runID, Self.deadline(of: run) ?? .distantPast))
                }
            }
            let known = ledger.locked { $0.runs.filter { $0.value.pipelineID == id } }
            for (runID, record) in known {
                guard let status = listed[runID] else {
                    ledger.violation(
                        "run \(runID) of pipeline \(id), "
                            + (record.acknowledged ? "whose trigger was acknowledged" : "which a reader saw")
                            + ", is gone after a restart")
                    ledger.locked { $0.removeRun(runID) }
                    continue
                }
                if let seen = record.status, Ledger.isFinal(seen), seen != status {
                    ledger.violation("run \(runID) was seen \(seen) but is \(status) after a restart")
                }
                if let body = record.finalBody {
                    let reply = try client.get("/v1/pipelines/\(id)/runs/\(runID)")
                    if reply.body != body {
                        ledger.violation("finished run \(runID) reads differently after a restart: \(reply.text)")
                    } else {
                        ledger.count("finished runs checked byte for byte")
                    }
                }
            }
            ledger.locked { ledger in
                for (runID, status) in listed {
                    var record = ledger.runs[runID] ?? Ledger.Run(pipelineID: id, acknowledged: false)
                    if !Ledger.isFinal(status) { record.finalBody = nil }
                    record.status = status
                    ledger.updateRun(runID, record)
                }
                ledger.figures["runs checked", default: 0] += listed.count
            }
        }
        // A stage whose deadline passed (while the server was down, or since) must end: at once
        // after a restart, so each is given its deadline plus 2 s, polled. The final check waits
        // for every run, so none is left running at all.
        for item in unfinished where final || item.deadline.timeIntervalSinceNow < -0.25 {
            let limit = max(item.deadline, Date()).addingTimeInterval(2)
            var status = "running"
            while Date() < limit {
                let reply = try client.get("/v1/pipelines/\(item.pipeline)/runs/\(item.run)")
                status = reply.json?["status"] as? String ?? "missing"
                if Ledger.isFinal(status) || status == "missing" { break }
                usleep(50_000)  // polling a status with a bounded deadline
            }
            if !Ledger.isFinal(status) {
                ledger.violation("run \(item.run) is still \(status) 2 s past its stage's deadline after a restart")
            } else {
                ledger.count("overdue runs ended after a restart")
            }
        }
    }

    /// The latest deadline among the run's running stages (started_at + timeout).
    static func deadline(of run: [String: Any]) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stages = run["stages"] as? [[String: Any]] ?? []
        return stages.compactMap { stage -> Date? in
            guard let started = (stage["started_at"] as? String).flatMap(formatter.date(from:)),
                let timeout = stage["timeout"] as? Double
            else { return nil }
            return started.addingTimeInterval(timeout)
        }.max()
    }

    /// After the last restart: every event any subscriber saw is replayed, the same.
    private func checkEventReplay() throws {
        let seen = ledger.locked { $0.events }
        guard let newest = seen.keys.max() else { return }
        let from = max(0, newest - 8_000)
        let replay = try EventStream(client: try client.fresh(), lastEventID: from)
            .events(through: newest, before: Date().addingTimeInterval(10))
            .filter { $0.id > 0 }
        let byID = Dictionary(replay.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, event) in seen where id > from {
            if byID[id] != event {
                ledger.violation(
                    "event \(id) (\(event.type)) reads \(byID[id].map { "\($0.type) \($0.data)" } ?? "missing") in the final replay"
                )
            }
        }
        ledger.count("events replayed at the end", replay.count)
    }
}
