/// Identifies one scheduled entry so its owner can cancel it; unique for the scheduler's lifetime.
package struct TimerToken: Sendable, Hashable {
    /// The entry's sequence number (also its FIFO tie-breaker).
    package let sequence: UInt64
}

/// Thrown by `Scheduler.schedule(_:at:)` when the queue is at capacity; the server answers 503.
package struct SchedulerFullError: Error, Sendable, Equatable {
    /// The capacity that was reached.
    package var capacity: Int
}

/// The timer queue of the runs domain as a pure value: a min-heap of `(due, sequence, event)`.
///
/// It exists so that all timeout policy is testable on a manual clock; the libuv glue owns one
/// timer, re-arms it to `nextDeadline` after every change and calls `popDue(now:)` when it fires.
///
/// - Entries with equal deadlines come out in the order they were scheduled (FIFO): the heap
///   orders by `(due, sequence)` and sequences only grow.
/// - `cancel` is O(1): it forgets the token's liveness; the dead entry stays in the heap and is
///   skipped when it reaches the top. When dead entries outnumber live ones the heap is rebuilt
///   in O(n), so the heap never holds more than about twice the live entries.
/// - Capacity: at most `capacity` live entries (default 1,000,000 — ten timers for each of the
///   100,000 active runs the service admits); beyond that `schedule` throws.
package struct Scheduler<Event: Sendable>: Sendable {
    private struct Entry: Sendable {
        var due: Timestamp
        var sequence: UInt64
        var event: Event

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    /// The default bound on live entries.
    package static var defaultCapacity: Int { 1_000_000 }

    /// The most live entries this scheduler accepts.
    package let capacity: Int
    private var heap: [Entry] = []
    private var live: Set<UInt64> = []
    private var nextSequence: UInt64 = 1

    /// An empty queue admitting at most `capacity` live entries.
    package init(capacity: Int = Scheduler.defaultCapacity) {
        precondition(capacity > 0, "scheduler capacity must be positive")
        self.capacity = capacity
    }

    /// Live (scheduled, not yet popped or cancelled) entries.
    package var count: Int { live.count }

    /// How many more entries can be scheduled before `schedule` throws.
    package var freeCapacity: Int { capacity - live.count }

    /// The earliest live deadline, or nil when nothing is scheduled; the glue arms its timer to it.
    package var nextDeadline: Timestamp? { heap.first?.due }

    /// Queues `event` to become due at `due`; the token cancels it.
    package mutating func schedule(_ event: Event, at due: Timestamp) throws(SchedulerFullError) -> TimerToken {
        guard live.count < capacity else { throw SchedulerFullError(capacity: capacity) }
        let sequence = nextSequence
        nextSequence += 1
        live.insert(sequence)
        heap.append(Entry(due: due, sequence: sequence, event: event))
        siftUp(from: heap.count - 1)
        return TimerToken(sequence: sequence)
    }

    /// Drops the entry in O(1) (amortised); cancelling a popped or already cancelled token does nothing.
    package mutating func cancel(_ token: TimerToken) {
        guard live.remove(token.sequence) != nil else { return }
        dropDeadTop()
        if heap.count - live.count > live.count && heap.count > 64 { compact() }
    }

    /// Removes and returns, in `(due, sequence)` order, the live events due at or before `now`,
    /// at most `limit` of them; the rest stay queued and `nextDeadline` keeps reporting a due time,
    /// so a caller that bounds its batches can yield to other work and come back.
    package mutating func popDue(now: Timestamp, limit: Int = .max) -> [Event] {
        var due: [Event] = []
        while due.count < limit, let top = heap.first, top.due <= now {
            removeTop()
            if live.remove(top.sequence) != nil { due.append(top.event) }
        }
        dropDeadTop()
        return due
    }

    /// Keeps the invariant that the heap's top is live, so `nextDeadline` never reports a
    /// cancelled deadline (the glue would wake for nothing).
    private mutating func dropDeadTop() {
        while let top = heap.first, !live.contains(top.sequence) { removeTop() }
    }

    private mutating func compact() {
        heap.removeAll { !live.contains($0.sequence) }
        var index = heap.count / 2 - 1
        while index >= 0 {
            siftDown(from: index)
            index -= 1
        }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(from: 0)
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.precedes(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let entry = heap[parent]
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, heap[child + 1].precedes(heap[child]) { child += 1 }
            guard heap[child].precedes(entry) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = entry
    }
}
