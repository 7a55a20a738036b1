/// One group of writes that must be durable together: what one change of the server's state
/// (a create, a trigger, a timeout firing) turns into. Writes are applied in the order they were
/// added, so a batch may create a pipeline and then a run of it.
public struct StoreBatch: Sendable, Equatable {
    /// One write of a batch.
    public enum Write: Sendable, Equatable {
        /// Inserts a pipeline, or replaces the version and body of the one with the same
        /// sequence (its creation number, which never changes; its runs stay).
        case putPipeline(StoredPipeline)
        /// Deletes a pipeline, by its sequence. Its runs are the caller's to remove (the server's
        /// deletion names every run it drops, in the same batch).
        case removePipeline(sequence: Int64)
        /// Inserts a run, or replaces the body of the one with the same sequence (its key, which
        /// never changes).
        case putRun(StoredRun)
        /// Deletes a run, by its sequence.
        case removeRun(sequence: Int64)
        /// Appends an event; a sequence already stored rejects the batch (ids are never reused).
        case appendEvent(StoredEvent)
        /// Deletes every event whose sequence is at most the given one.
        case pruneEvents(through: Int64)
        /// Sets a counter.
        case setCounter(name: String, value: Int64)
    }

    /// The writes, in order.
    public private(set) var writes: [Write] = []

    public init() {}

    public var isEmpty: Bool { writes.isEmpty }

    public mutating func putPipeline(_ pipeline: StoredPipeline) { writes.append(.putPipeline(pipeline)) }
    public mutating func removePipeline(sequence: Int64) { writes.append(.removePipeline(sequence: sequence)) }
    public mutating func putRun(_ run: StoredRun) { writes.append(.putRun(run)) }
    public mutating func removeRun(sequence: Int64) { writes.append(.removeRun(sequence: sequence)) }
    public mutating func appendEvents(_ events: some Sequence<StoredEvent>) {
        writes.append(contentsOf: events.lazy.map(Write.appendEvent))
    }
    public mutating func pruneEvents(through sequence: Int64) { writes.append(.pruneEvents(through: sequence)) }
    public mutating func setCounter(_ name: String, to value: Int64) {
        writes.append(.setCounter(name: name, value: value))
    }
}
