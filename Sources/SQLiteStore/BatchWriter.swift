/// Applies a `StoreBatch` to the writer's connection with statements prepared once.
///
/// Lives on the writer thread with its connection. Pipelines are upserted rather than replaced:
/// `INSERT OR REPLACE` deletes the old row first, and the foreign key's cascade would take the
/// pipeline's runs with it.
final class BatchWriter {
    private let putPipeline: Statement
    private let removePipeline: Statement
    private let putRun: Statement
    private let removeRun: Statement
    private let appendEvent: Statement
    private let pruneEvents: Statement
    private let setCounter: Statement

    init(database: Database) throws(StoreError) {
        putPipeline = try database.prepare(
            """
            INSERT INTO pipelines (sequence, id, version, body) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (sequence) DO UPDATE SET version = excluded.version, body = excluded.body
            """)
        removePipeline = try database.prepare("DELETE FROM pipelines WHERE sequence = ?1")
        // An upsert, not INSERT OR REPLACE: replacing deletes and re-inserts the row and its index
        // entries, and a run is written again at every transition.
        putRun = try database.prepare(
            """
            INSERT INTO runs (sequence, id, pipeline_id, body) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (sequence) DO UPDATE SET body = excluded.body
            """)
        removeRun = try database.prepare("DELETE FROM runs WHERE sequence = ?1")
        appendEvent = try database.prepare("INSERT INTO events (seq, pipeline_id, body) VALUES (?1, ?2, ?3)")
        pruneEvents = try database.prepare("DELETE FROM events WHERE seq <= ?1")
        setCounter = try database.prepare(
            """
            INSERT INTO counters (name, value) VALUES (?1, ?2)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
    }

    /// Runs every write of `batch`, in order; the caller owns the transaction around it.
    /// Counters and event pruning of the group being written: only the last value of a counter
    /// and the furthest pruning matter, so they are written once per group (`finishGroup`), not
    /// once per batch.
    private var counters: [String: Int64] = [:]
    private var pruneThrough: Int64?

    func apply(_ batch: StoreBatch) throws(StoreError) {
        for write in batch.writes {
            try apply(write)
        }
    }

    /// Writes what the group's batches deferred; the last step of the group's transaction.
    func finishGroup() throws(StoreError) {
        defer { discardGroup() }
        for (name, value) in counters { try setCounter.run(.text(name), .integer(value)) }
        if let pruneThrough { try pruneEvents.run(.integer(pruneThrough)) }
    }

    /// Forgets what the group deferred (its transaction was rolled back).
    func discardGroup() {
        counters.removeAll(keepingCapacity: true)
        pruneThrough = nil
    }

    private func apply(_ write: StoreBatch.Write) throws(StoreError) {
        switch write {
        case .putPipeline(let pipeline):
            try putPipeline.run(
                .integer(pipeline.sequence), .text(pipeline.id), .integer(pipeline.version), .bytes(pipeline.body))
        case .removePipeline(let sequence):
            try removePipeline.run(.integer(sequence))
        case .putRun(let run):
            try putRun.run(.integer(run.sequence), .text(run.id), .text(run.pipelineID), .bytes(run.body))
        case .removeRun(let sequence):
            try removeRun.run(.integer(sequence))
        case .appendEvent(let event):
            try appendEvent.run(.integer(event.sequence), .text(event.pipelineID), .bytes(event.body))
        case .pruneEvents(let sequence):
            pruneThrough = max(pruneThrough ?? sequence, sequence)
        case .setCounter(let name, let value):
            counters[name] = value  // batches are applied in order: the last one's value wins
        }
    }
}
