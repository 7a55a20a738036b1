import Foundation

/// What the crash test's clients were told and saw, shared by their threads: the model every
/// restart is checked against. A write in flight when the server died may or may not have
/// happened; anything acknowledged, or shown to a reader or a subscriber, must still be there.
final class Ledger: @unchecked Sendable {
    /// A write sent without an answer yet.
    enum Pending: Equatable {
        case update(name: String)
        case delete
        case trigger
    }

    struct Pipeline {
        var id: String
        /// The client thread that writes it (-1: none).
        var owner: Int
        /// The name each version was written with (the name marks the write).
        var names: [Int: String] = [:]
        /// Bodies readers saw, by version.
        var bodies: [Int: [UInt8]] = [:]
        /// Highest version acknowledged to the writer.
        var acknowledged = 0
        /// Highest version anyone saw (an acknowledgement or a read).
        var seen = 0
        var deleteAcknowledged = false
        /// Known gone after a restart: checked no more.
        var gone = false
        var pending: Pending?
        var runs = 0
    }

    struct Run {
        var pipelineID: String
        var acknowledged: Bool
        /// The last status a reader saw, and the body when that status was final.
        var status: String?
        var finalBody: [UInt8]?
    }

    private let lock = NSLock()
    private(set) var pipelines: [String: Pipeline] = [:]
    private(set) var runs: [String: Run] = [:]
    /// Names of creates sent without an answer, and their writer.
    private(set) var pendingCreates: [String: Int] = [:]
    /// Every event a subscriber saw, by id.
    private(set) var events: [Int: SeenEvent] = [:]
    /// Writes the writers finished (answered or not) in this round: the crash comes after a
    /// random number of them, so it always lands while they are busy, however fast the server.
    var roundOperations = 0
    /// The pipeline list's order as last verified.
    var listOrder: [String] = []
    private(set) var violations: [String] = []
    var figures: [String: Int] = [:]

    func locked<T>(_ body: (Ledger) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(self)
    }

    func violation(_ text: String) { locked { $0.note(text) } }
    /// A violation, noted by a caller that holds the lock.
    func note(_ text: String) { violations.append(text) }
    func count(_ figure: String, _ amount: Int = 1) { locked { $0.figures[figure, default: 0] += amount } }

    // MARK: - writes (called with the lock held, through `locked`)

    func addPipeline(_ pipeline: Pipeline) { pipelines[pipeline.id] = pipeline }
    func update(_ id: String, _ change: (inout Pipeline) -> Void) {
        if pipelines[id] != nil { change(&pipelines[id]!) }
    }
    func setPendingCreate(_ name: String, owner: Int?) { pendingCreates[name] = owner }
    func clearPendingCreates() { pendingCreates.removeAll() }
    func updateRun(_ id: String, _ run: Run) { runs[id] = run }
    func removeRun(_ id: String) { runs[id] = nil }
    func recordEvent(_ event: SeenEvent) { events[event.id] = event }

    /// A reader's view of one pipeline version; a different body for a version seen before is a
    /// violation at once.
    func observe(_ id: String, version: Int, body: [UInt8], template: Template) {
        guard var pipeline = pipelines[id] else { return }
        if let earlier = pipeline.bodies[version], earlier != body {
            violations.append("pipeline \(id) version \(version) was read with two different bodies")
        }
        if let name = pipeline.names[version], template.body(id: id, name: name) != body {
            violations.append(
                "pipeline \(id) version \(version) read as \(String(decoding: body, as: UTF8.self)), written as \(name)"
            )
        }
        pipeline.bodies[version] = body
        pipeline.seen = max(pipeline.seen, version)
        pipelines[id] = pipeline
        figures["reads", default: 0] += 1
    }

    /// A reader's view of one run (its body when fetched alone, nil from a list).
    func observeRun(_ id: String, pipelineID: String, status: String, body: [UInt8]?) {
        var run = runs[id] ?? Run(pipelineID: pipelineID, acknowledged: false)
        run.status = status
        if Self.isFinal(status), let body {
            if let earlier = run.finalBody, earlier != body {
                violations.append("run \(id) was read finished with two different bodies")
            }
            run.finalBody = body
        }
        runs[id] = run
    }

    static func isFinal(_ status: String) -> Bool { ["succeeded", "failed", "cancelled"].contains(status) }
}

/// The canonical body the server stores for a document of the crash test, learnt from the server
/// itself: one stored pipeline with the id and name cut out. Exact bytes can then be expected of
/// every write, read or not.
struct Template: Sendable {
    let parts: [String]  // text, id, text, name, text… as split at the placeholders

    static let placeholderName = "TEMPLATE-NAME-000000"

    init(body: String, id: String) {
        parts = body.components(separatedBy: id).map {
            $0.components(separatedBy: Self.placeholderName).joined(separator: "\u{0}")
        }
    }

    func body(id: String, name: String) -> [UInt8] {
        Array(parts.map { $0.replacingOccurrences(of: "\u{0}", with: name) }.joined(separator: id).utf8)
    }
}
