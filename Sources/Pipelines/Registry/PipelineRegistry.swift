/// The in-memory home of all pipelines and their runs. An actor so every check-then-act
/// (If-Match then write, update racing delete, trigger racing delete) happens in one isolated
/// step; its executor is injected so in the server it runs on the libuv loop thread and handlers
/// enter it synchronously, without a hop.
///
/// A write works out its change first (`StateChange`: pipelines stored or removed, runs written
/// or dropped, events) without touching anything, then hands it to `apply(_:)`, the one place the
/// registry's state changes, and returns it with its answer (`Written`).
package actor PipelineRegistry {
    /// Page size when a list request names none.
    package static let defaultPageSize = 100
    /// Accepted `limit` values for listing.
    package static let pageSizes = 1...500
    /// The most bytes of items one list page carries (API.md "Paging"): a page ends early, with
    /// a `next_cursor`, rather than pass it, so a page's body stays near 1 MiB however big the
    /// documents are; a single item bigger than this still gets its page.
    package static let pageByteBudget = 1 << 20

    private let executor: any SerialExecutor
    var entries = PipelineTable(reserved: PipelineRegistry.reservedPipelines)
    var creationOrder = CreationIndex()
    var lastSequence: UInt64 = 0
    var lastVersion: UInt64 = 0
    private var random = ChaChaRandom()
    /// Every run of every pipeline; kept here so a trigger, a delete and an update are each one
    /// isolated step (a run can never outlive or miss its pipeline). See `PipelineRegistry+Runs`.
    var runBook: RunBook

    /// Runs the registry on `executor` (the loop's `LoopExecutor` in the server) with `runBook`'s
    /// caps.
    package init(executor: any SerialExecutor, runBook: RunBook) {
        self.executor = executor
        self.runBook = runBook
    }

    /// Room reserved up front, so the table does not grow at all on the way to the 100,000
    /// pipelines the service is sized for (see `PipelineTable` for growth beyond).
    package static let reservedPipelines = 200_000

    /// Runs the registry on `executor` (the loop's `LoopExecutor` in the server).
    package init(executor: any SerialExecutor) {
        self.init(executor: executor, runBook: RunBook())
    }

    /// The injected executor. Creating any `UnownedSerialExecutor` is marked unsafe by the
    /// standard library (it is an unowned reference); this is the module's one `unsafe`.
    /// Safety: `executor` is a strong `let` of this actor, so it outlives every use of the
    /// unowned reference the runtime makes while running this actor's jobs.
    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        unsafe executor.asUnownedSerialExecutor()
    }

    /// How many pipelines are stored.
    package var count: Int { entries.count }

    /// Stores a new pipeline under a fresh UUID v4 and returns its entry (id, ETag, body).
    package func create(_ document: PipelineDocument) -> Written<PipelineEntry> {
        var id = PipelineID.random(using: &random)
        while entries[id] != nil { id = PipelineID.random(using: &random) }
        let entry = PipelineEntry(id: id, sequence: lastSequence + 1, document: document, version: lastVersion + 1)
        var change = StateChange()
        change.pipelines = [.put(entry)]
        return Written(value: entry, change: apply(change))
    }

    /// The pipeline whose canonical id is `id`; nil for unknown ids and for any other spelling.
    package func entry(id: String) -> PipelineEntry? {
        PipelineID(id).flatMap { entries[$0] }
    }

    /// The pipeline stored under `id`, if any.
    package func entry(_ id: PipelineID) -> PipelineEntry? {
        entries[id]
    }

    /// Replaces the document of an existing pipeline. With `ifMatch` (an `If-Match` header
    /// value) the write happens only if it matches the current ETag. Never creates a pipeline.
    package func update(
        id: String, with document: PipelineDocument, ifMatch: String? = nil
    ) throws(RegistryError) -> Written<PipelineEntry> {
        let current = try existingEntry(id: id, ifMatch: ifMatch)
        let updated = current.replacing(with: document, version: lastVersion + 1)
        var change = StateChange()
        change.pipelines = [.put(updated)]
        return Written(value: updated, change: apply(change))
    }

    /// Removes a pipeline (honouring `ifMatch` like `update`) with its runs, after cancelling its
    /// active run, in one step; returns what was removed.
    @discardableResult
    package func delete(id: String, ifMatch: String? = nil, now: Timestamp) throws(RegistryError)
        -> Written<PipelineEntry>
    {
        let current = try existingEntry(id: id, ifMatch: ifMatch)
        var change = StateChange()
        change.pipelines = [.remove(current)]
        change.runs = runBook.forgetting(pipelineID: current.id.description, now: now)
        return Written(value: current, change: apply(change))
    }

    /// Pipelines in creation order, `limit` at a time, after the position `cursor` names
    /// (a `nextCursor` from an earlier page; nil starts at the beginning). The page also ends
    /// before the document that would take its documents past `byteBudget` (there is always at
    /// least one), so `limit=500` over 1 MiB documents does not build a 500 MiB body.
    package func list(
        limit: Int = defaultPageSize, cursor: String? = nil, byteBudget: Int = pageByteBudget
    ) throws(RegistryError) -> PipelinePage {
        guard Self.pageSizes.contains(limit) else { throw .invalidLimit }
        var after: UInt64?
        if let cursor {
            guard let sequence = ListCursor.sequence(from: cursor) else { throw .invalidCursor }
            after = sequence
        }
        let page = creationOrder.page(after: after, limit: limit)
        var found: [PipelineEntry] = []
        found.reserveCapacity(page.ids.count)
        var bytes = 0
        for id in page.ids {
            guard let entry = entries[id] else { continue }
            if !found.isEmpty, bytes + entry.body.count > byteBudget {
                return PipelinePage(entries: found, nextCursor: ListCursor.token(for: found[found.count - 1].sequence))
            }
            bytes += entry.body.count
            found.append(entry)
        }
        let next = page.hasMore ? page.sequenceOfLast.map(ListCursor.token(for:)) : nil
        return PipelinePage(entries: found, nextCursor: next)
    }

    /// The numbers that must never repeat, as they stand.
    var counters: StateChange.Counters {
        StateChange.Counters(
            pipelineSequence: lastSequence, pipelineVersion: lastVersion, eventSequence: runBook.log.lastSeq)
    }

    // MARK: - Internals

    private func existingEntry(id: String, ifMatch: String?) throws(RegistryError) -> PipelineEntry {
        guard let current = entry(id: id) else { throw .notFound }
        if let ifMatch, !EntityTag.ifMatch(ifMatch, matches: current.etag) {
            throw .preconditionFailed(currentETag: current.etag)
        }
        return current
    }

    /// The only place the registry's state changes: pipelines stored and removed (with the
    /// counters their sequence and version numbers advance), then the runs. Returns the change
    /// with `deadline` filled in.
    func apply(_ change: StateChange) -> StateChange {
        let deadlineBefore = runBook.nextDeadline
        for write in change.pipelines {
            switch write {
            case .put(let entry):
                if entries.put(entry) { creationOrder.append(entry.id, sequence: entry.sequence) }
                lastSequence = max(lastSequence, entry.sequence)
                lastVersion = max(lastVersion, entry.version)
            case .remove(let entry):
                entries.remove(entry.id)
                creationOrder.remove(sequence: entry.sequence)
            }
        }
        if !change.runs.isEmpty { runBook.apply(change.runs) }
        var applied = change
        applied.counters = counters
        let deadlineAfter = runBook.nextDeadline
        if deadlineAfter != deadlineBefore { applied.deadline = .moved(to: deadlineAfter) }
        return applied
    }
}

/// List cursors: an opaque token for a creation sequence number.
enum ListCursor {
    private static let prefix = "c"

    static func token(for sequence: UInt64) -> String {
        var bytes = Array(prefix.utf8)
        Hex.append(sequence, digits: 16, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func sequence(from token: String) -> UInt64? {
        guard token.hasPrefix(prefix) else { return nil }
        let digits = token.dropFirst(prefix.count)
        guard digits.utf8.count == 16, digits.utf8.allSatisfy(Hex.isDigit) else { return nil }
        return UInt64(digits, radix: 16)
    }
}
