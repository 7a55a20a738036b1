/// Where the service's state is made durable, seen from the domain. A store takes the changes
/// writes produce (`StateChange`), in the order they were applied, and reports when each is
/// durable; at start it hands back everything it holds. Nothing here assumes a local file or a
/// synchronous call: the embedded SQLite store commits on a thread of its own, a PostgreSQL store
/// over the network, and both may join many changes into one commit.
package protocol Store: AnyObject, Sendable {
    /// Makes `change` durable. `completion` runs once, on the thread the store was given for its
    /// completions (the server's loop), after every earlier change's completion: with `.success`
    /// when the change is durable, with the failure when it is not and never will be.
    func persist(_ change: StateChange, completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void)

    /// Everything committed, for a server that is starting, or one going back to what is
    /// committed after a change failed.
    func recover(recentEvents: Int) throws(StoreFailure) -> StoredState

    /// After a failed change the store persists nothing until this is called: changes persisted
    /// before it fail too (they were made on top of the failed one, and the caller has since gone
    /// back to `recover`'s state); later ones are persisted as usual.
    func resume()

    /// Writes what is queued, then releases the store (a second server may then open it).
    func close()
}

/// Why a store could not open, read or commit; `detail` is one sentence for an operator.
package struct StoreFailure: Error, Sendable, CustomStringConvertible {
    /// True when trying again later may succeed (a full disk, a busy database): a write that
    /// fails so is answered 503 with `Retry-After`.
    package var isRetryable: Bool
    package var detail: String

    package init(isRetryable: Bool, detail: String) {
        self.isRetryable = isRetryable
        self.detail = detail
    }

    package var description: String { detail }
}

/// What a store holds, as the domain's values: the state a restarted server continues from.
package struct StoredState: Sendable {
    /// Every pipeline, in creation order.
    package var pipelines: [PipelineEntry] = []
    /// Every kept run.
    package var runs: [Run] = []
    /// The newest events, oldest first, for `Last-Event-ID` across a restart.
    package var events: [RunEvent] = []
    /// The counters that must never go back: see `StateChange.Counters`.
    package var counters = StateChange.Counters()

    package init() {}
}
