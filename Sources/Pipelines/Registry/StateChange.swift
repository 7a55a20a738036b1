/// What one write did to the service's state, as a value: the pipelines it stored or removed and
/// what it did to runs (runs written and dropped, events). `PipelineRegistry.apply(_:)` is the one
/// place such a change is applied; the server publishes its events and re-arms its timer from it,
/// and a durable store persists it — so nothing can be served that was not also recorded.
package struct StateChange: Sendable {
    /// A pipeline stored (created or replaced) or removed.
    package enum PipelineWrite: Sendable {
        case put(PipelineEntry)
        case remove(PipelineEntry)
    }

    /// How the next stage deadline moved; filled in by `apply`, for the one timer the server
    /// keeps armed to it.
    package enum DeadlineUpdate: Sendable, Equatable {
        case unchanged
        case moved(to: Timestamp?)
    }

    /// The numbers that must never repeat, even after every pipeline or event that used them is
    /// gone: creation sequences (list cursors), versions (ETags) and event ids (`Last-Event-ID`).
    package struct Counters: Sendable, Equatable {
        package var pipelineSequence: UInt64 = 0
        package var pipelineVersion: UInt64 = 0
        package var eventSequence: UInt64 = 0

        package init(pipelineSequence: UInt64 = 0, pipelineVersion: UInt64 = 0, eventSequence: UInt64 = 0) {
            self.pipelineSequence = pipelineSequence
            self.pipelineVersion = pipelineVersion
            self.eventSequence = eventSequence
        }
    }

    package internal(set) var pipelines: [PipelineWrite] = []
    package internal(set) var runs = RunChanges()
    /// The counters after this change; filled in by `apply`.
    package internal(set) var counters = Counters()
    package internal(set) var deadline = DeadlineUpdate.unchanged

    package init() {}

    /// The events to publish, in order.
    package var events: [RunEvent] { runs.events }

    /// True when nothing changed (a timer that fired for stages that had already finished).
    package var isEmpty: Bool { pipelines.isEmpty && runs.isEmpty }
}

/// What a write operation answers: its result for the caller, and the change it made.
package struct Written<Value: Sendable>: Sendable {
    package var value: Value
    package var change: StateChange

    package init(value: Value, change: StateChange) {
        self.value = value
        self.change = change
    }
}
