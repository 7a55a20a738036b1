import Foundation

/// The crash test's clients for one round: writers that create, update, delete and trigger their
/// own pipelines, readers that read anyone's, and a subscriber. Each runs on a thread of its own
/// until its connection fails (the server was killed) or it has done its share.
struct CrashClients {
    let server: DurableServer
    let ledger: Ledger
    let template: Template
    let round: Int

    static let writers = 3
    static let readers = 2
    /// A bound only: the test kills the server long before a writer gets there.
    static let operationsPerWriter = 1_000
    /// Triggers per pipeline stay well under the 100 runs a pipeline keeps, so nothing is pruned.
    static let triggersPerPipeline = 30

    /// Starts every client thread; the returned group is left by each when it stops.
    func start(_ group: DispatchGroup) {
        for writer in 0..<Self.writers { spawn(group) { try write(as: writer) } }
        for _ in 0..<Self.readers { spawn(group) { try read() } }
        spawn(group) { try subscribe() }
    }

    private func spawn(_ group: DispatchGroup, _ work: @escaping @Sendable () throws -> Void) {
        group.enter()
        Thread {
            try? work()
            group.leave()
        }.start()
    }

    // MARK: - writers

    private func write(as writer: Int) throws {
        let client = try server.client(receiveTimeout: 5)
        for sequence in 0..<Self.operationsPerWriter {
            let name = "w\(writer)-r\(round)-n\(sequence)-\(UInt32.random(in: 0...UInt32.max))"
            let mine = ledger.locked { ledger in
                ledger.pipelines.values.filter {
                    $0.owner == writer && !$0.gone && !$0.deleteAcknowledged && $0.pending == nil
                }.map(\.id)
            }
            let roll = Int.random(in: 0..<100)
            guard let id = mine.randomElement(), roll >= 30 else {
                try create(client, name: name, writer: writer)
                ledger.locked { $0.roundOperations += 1 }
                continue
            }
            switch roll {
            case ..<55: try update(client, id: id, name: name)
            case ..<65: try delete(client, id: id)
            case ..<90: try trigger(client, id: id)
            default: try readOwn(client, id: id)
            }
            ledger.locked { $0.roundOperations += 1 }
        }
    }

    private func create(_ client: HTTPClient, name: String, writer: Int) throws {
        ledger.locked { $0.setPendingCreate(name, owner: writer) }
        let reply = try client.post("/v1/pipelines", json: pipelineDocument(name: name, timeout: 1))
        guard reply.status == 201, let id = reply.json?["id"] as? String, let version = reply.version else {
            ledger.count("writes refused (create \(reply.status))")
            return
        }
        ledger.locked { ledger in
            ledger.setPendingCreate(name, owner: nil)
            ledger.addPipeline(
                .init(id: id, owner: writer, names: [version: name], acknowledged: version, seen: version))
            ledger.figures["acknowledged creates", default: 0] += 1
        }
    }

    private func update(_ client: HTTPClient, id: String, name: String) throws {
        ledger.locked { $0.update(id) { $0.pending = .update(name: name) } }
        let reply = try client.put("/v1/pipelines/\(id)", json: pipelineDocument(name: name, timeout: 1))
        guard reply.status == 200, let version = reply.version else {
            ledger.count("writes refused (update \(reply.status))")
            ledger.locked { $0.update(id) { $0.pending = nil } }
            return
        }
        ledger.locked { ledger in
            ledger.update(id) { pipeline in
                if version <= pipeline.acknowledged {
                    ledger.note("PUT \(id) acknowledged version \(version) after version \(pipeline.acknowledged)")
                }
                pipeline.names[version] = name
                pipeline.acknowledged = version
                pipeline.seen = max(pipeline.seen, version)
                pipeline.pending = nil
            }
            ledger.figures["acknowledged updates", default: 0] += 1
        }
    }

    private func delete(_ client: HTTPClient, id: String) throws {
        ledger.locked { $0.update(id) { $0.pending = .delete } }
        let reply = try client.delete("/v1/pipelines/\(id)")
        ledger.locked { ledger in
            ledger.update(id) {
                $0.pending = nil
                if reply.status == 200 { $0.deleteAcknowledged = true }
            }
            ledger.figures[
                reply.status == 200 ? "acknowledged deletes" : "writes refused (delete \(reply.status))", default: 0] +=
                1
        }
    }

    private func trigger(_ client: HTTPClient, id: String) throws {
        let allowed = ledger.locked { ledger in
            guard let pipeline = ledger.pipelines[id], pipeline.runs < Self.triggersPerPipeline else { return false }
            ledger.update(id) {
                $0.pending = .trigger
                $0.runs += 1
            }
            return true
        }
        guard allowed else { return }
        let reply = try client.post("/v1/pipelines/\(id)/trigger")
        ledger.locked { ledger in
            ledger.update(id) { $0.pending = nil }
            guard reply.status == 200, let run = reply.json?["run_id"] as? String else {
                ledger.figures["writes refused (trigger \(reply.status))", default: 0] += 1
                return
            }
            var record = ledger.runs[run] ?? Ledger.Run(pipelineID: id, acknowledged: true)
            record.acknowledged = true
            ledger.updateRun(run, record)
            ledger.figures["acknowledged triggers", default: 0] += 1
        }
    }

    private func readOwn(_ client: HTTPClient, id: String) throws {
        let reply = try client.get("/v1/pipelines/\(id)")
        guard reply.status == 200, let version = reply.version else { return }
        ledger.locked { $0.observe(id, version: version, body: reply.body, template: template) }
    }

    // MARK: - readers

    private func read() throws {
        let client = try server.client(receiveTimeout: 5)
        for _ in 0..<(Self.operationsPerWriter * 2) {
            let (pipeline, run) = ledger.locked { ledger in
                (
                    ledger.pipelines.values.filter { !$0.gone }.randomElement()?.id,
                    ledger.runs.filter { !(ledger.pipelines[$0.value.pipelineID]?.gone ?? true) }.randomElement()
                )
            }
            if let pipeline {
                let reply = try client.get("/v1/pipelines/\(pipeline)")
                if reply.status == 200, let version = reply.version {
                    ledger.locked { $0.observe(pipeline, version: version, body: reply.body, template: template) }
                }
                let list = try client.get("/v1/pipelines/\(pipeline)/runs")
                let runs = list.status == 200 ? list.json?["runs"] as? [[String: Any]] ?? [] : []
                ledger.locked { ledger in
                    for run in runs {
                        guard let id = run["id"] as? String, let status = run["status"] as? String else { continue }
                        ledger.observeRun(id, pipelineID: pipeline, status: status, body: nil)
                    }
                }
            }
            if let (id, record) = run {
                let reply = try client.get("/v1/pipelines/\(record.pipelineID)/runs/\(id)")
                if reply.status == 200, let status = reply.json?["status"] as? String {
                    ledger.locked { $0.observeRun(id, pipelineID: record.pipelineID, status: status, body: reply.body) }
                }
            }
        }
    }

    // MARK: - subscriber

    /// Follows the event stream from the oldest kept event: what earlier rounds saw must be
    /// replayed unchanged, and nothing new may reuse an id.
    private func subscribe() throws {
        let newest = ledger.locked { $0.events.keys.max() ?? 0 }
        let from = max(0, newest - 8_000)  // inside the 10,000 events the server keeps
        let stream = try EventStream(server: server, lastEventID: from)
        var received = Set<Int>()
        var last = from
        while let event = stream.next(before: Date().addingTimeInterval(30)) {
            guard event.id > 0 else { continue }  // control events carry no id of their own
            ledger.locked { ledger in
                if event.id <= last {
                    ledger.note("event \(event.id) arrived after event \(last) on one stream")
                }
                if let earlier = ledger.events[event.id], earlier != event {
                    ledger.note(
                        "event id \(event.id) reused: first \(earlier.type) \(earlier.data), now \(event.type) \(event.data)"
                    )
                }
                ledger.recordEvent(event)
            }
            received.insert(event.id)
            last = max(last, event.id)
        }
        // Everything seen before, up to where this stream got, must have been replayed.
        ledger.locked { ledger in
            let missing = ledger.events.keys.filter { $0 > from && $0 <= last && !received.contains($0) }
            for id in missing.sorted().prefix(5) {
                ledger.note("event \(id) (\(ledger.events[id]!.type)), seen before, was not replayed after a restart")
            }
            ledger.figures["events compared", default: 0] += received.count
        }
    }
}
