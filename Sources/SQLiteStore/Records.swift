// The records the store keeps. Bodies are opaque bytes: the server decides what they hold (the
// canonical JSON of a pipeline, a run's state), so the store never parses a document and a new
// field in one needs no migration.

/// A pipeline: its id, its place in creation order (pagination), its version (entity tags).
public struct StoredPipeline: Sendable, Equatable {
    public var id: String
    public var sequence: Int64
    public var version: Int64
    public var body: [UInt8]

    public init(id: String, sequence: Int64, version: Int64, body: [UInt8]) {
        self.id = id
        self.sequence = sequence
        self.version = version
        self.body = body
    }
}

/// A run of a pipeline; `sequence` is its key (unique among all runs, never reused) and its place
/// in creation order.
public struct StoredRun: Sendable, Equatable {
    public var id: String
    public var pipelineID: String
    public var sequence: Int64
    public var body: [UInt8]

    public init(id: String, pipelineID: String, sequence: Int64, body: [UInt8]) {
        self.id = id
        self.pipelineID = pipelineID
        self.sequence = sequence
        self.body = body
    }
}

/// An event of the stream, kept so `Last-Event-ID` resumes across a restart; `sequence` is its
/// event id, unique forever.
public struct StoredEvent: Sendable, Equatable {
    public var sequence: Int64
    public var pipelineID: String
    public var body: [UInt8]

    public init(sequence: Int64, pipelineID: String, body: [UInt8]) {
        self.sequence = sequence
        self.pipelineID = pipelineID
        self.body = body
    }
}

/// Everything `load` reads at start: what the server rebuilds its memory from.
public struct StoreSnapshot: Sendable, Equatable {
    /// Every pipeline, in creation order (ascending `sequence`).
    public var pipelines: [StoredPipeline]
    /// Every run, in creation order (ascending `sequence`).
    public var runs: [StoredRun]
    /// The newest events asked for, oldest first.
    public var events: [StoredEvent]
    /// Every counter (next event sequence, next pipeline sequence, …) by name.
    public var counters: [String: Int64]
}
