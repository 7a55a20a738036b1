/// A registry that continues from what a store kept: the way a restarted server comes back.
extension PipelineRegistry {
    /// Loads `state` into this (empty) registry, through the same `apply` paths writes use:
    /// pipelines in creation order, then runs in creation order (which re-arms the timeout of every
    /// stage still running, from its original start, so a deadline that passed while the server
    /// was down fires as soon as the timer runs), then the recent events and the counters, so
    /// sequence numbers continue and never repeat.
    package func restore(_ state: StoredState) {
        precondition(count == 0 && runBook.log.lastSeq == 0, "restore into an empty registry only")
        var pipelines = StateChange()
        pipelines.pipelines = state.pipelines.map { .put($0) }
        _ = apply(pipelines)
        runBook.restore(runs: state.runs, events: state.events, lastEventSeq: state.counters.eventSequence)
        lastSequence = max(lastSequence, state.counters.pipelineSequence)
        lastVersion = max(lastVersion, state.counters.pipelineVersion)
    }
}

extension PipelineRegistry {
    /// Forgets everything in memory and continues from `state`: what the server does when a
    /// change it applied could not be made durable (memory goes back to what is committed).
    package func reset(to state: StoredState) {
        entries = PipelineTable(reserved: Self.reservedPipelines)
        creationOrder = CreationIndex()
        lastSequence = 0
        lastVersion = 0
        runBook = RunBook(
            maxActiveRuns: runBook.maxActiveRuns, timerCapacity: runBook.timers.capacity,
            eventCapacity: runBook.log.capacity)
        restore(state)
    }
}

extension RunBook {
    /// Puts stored runs and events back (see `PipelineRegistry.restore`).
    mutating func restore(runs: [Run], events: [RunEvent], lastEventSeq: UInt64) {
        var changes = RunChanges()
        changes.runs = runs.sorted { $0.sequence < $1.sequence }
        apply(changes)
        log.restore(events, lastSeq: max(lastEventSeq, events.last?.seq ?? 0))
    }
}

extension EventLog {
    /// Starts the log over from stored events (oldest first), numbering on after `lastSeq`. Only
    /// the newest run of consecutive numbers ending at `lastSeq` is kept: replay and
    /// `events_lost` reason about the ring as one unbroken range.
    mutating func restore(_ events: [RunEvent], lastSeq: UInt64) {
        precondition(ring.isEmpty, "restore into an empty log only")
        var first = events.endIndex
        var expected = lastSeq
        while first > events.startIndex, events.endIndex - first < capacity, events[first - 1].seq == expected {
            first -= 1
            expected -= 1
        }
        nextSeq = expected + 1
        for event in events[first...] { append(event) }
    }
}

extension PipelineEntry {
    /// A stored pipeline read back: its body is served as stored, and what a trigger needs is
    /// taken from it again. Nil when the body is not a valid document (a store that was damaged
    /// or written by something else).
    package init?(id: String, sequence: UInt64, version: UInt64, body: [UInt8]) {
        guard let pipelineID = PipelineID(id), case .success(let document) = PipelineDocument.decode(body)
        else { return nil }
        self.init(id: pipelineID, sequence: sequence, document: document, version: version)
        self.body = body
    }
}
