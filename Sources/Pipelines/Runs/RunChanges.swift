/// What one run operation did, as a value: every run it wrote (in its final state), every run it
/// dropped, and the events it produced, in order. `RunBook.apply(_:)` is the only place a book
/// changes, and a store persists exactly these rows, so what is served, published and saved can
/// never disagree.
package struct RunChanges: Sendable {
    /// Every run the operation wrote, in the order it first touched them, as they are afterwards.
    package internal(set) var runs: [Run] = []
    /// Runs the operation removed: pruned history, or every run of a deleted pipeline.
    package internal(set) var removedRuns: [RemovedRun] = []
    /// The events, with their sequence numbers, in the order they happened.
    package internal(set) var events: [RunEvent] = []
    /// The run the operation was about: the new run of a trigger or retry, the run a report or
    /// a cancel changed. Nil for timeouts and deletes, which may touch many.
    package internal(set) var subjectID: RunID?
    /// The active run a trigger or retry cancelled to make room for its own, so the answer can
    /// say so.
    package internal(set) var cancelledRunID: RunID?

    package init() {}

    /// The subject run after the operation.
    package var run: Run? {
        guard let subjectID else { return nil }
        return runs.last { $0.id == subjectID }
    }

    /// True when the operation changed nothing.
    package var isEmpty: Bool { runs.isEmpty && removedRuns.isEmpty && events.isEmpty }
}

/// A run an operation dropped: its id, and its sequence, the key a store files it under (a store
/// need not look the run up by its random id to delete it).
package struct RemovedRun: Sendable, Equatable {
    package var id: RunID
    package var sequence: UInt64
}
