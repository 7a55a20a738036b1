import Pipelines

/// Keeps anything from being seen before the state it shows is durable. Every applied change
/// gets the next number; the store settles them in the same order. A response or an event is
/// tagged with the number of the newest change it could have observed, and goes out only once
/// that change has settled: at once when nothing is pending (reads then pay nothing), after the
/// commit otherwise — the way Redis answers a client only after that loop turn's AOF write.
///
/// Thread: loop thread only.
final class Durability {
    /// How a change ended: durable, or failed (and then everything applied after it fails too,
    /// having been made on top of it).
    typealias Outcome = Result<Void, StoreFailure>

    /// The newest change applied in memory.
    private(set) var applied: UInt64 = 0
    /// The newest change whose outcome is known.
    private(set) var settled: UInt64 = 0
    /// Waiters in the order of the change they wait for.
    private var waiters: [(change: UInt64, action: (Outcome) -> Void)] = []
    /// Changes numbered in this range failed: what they showed was rolled back.
    private var failed: ClosedRange<UInt64>?
    private var failure: StoreFailure?

    /// True while some applied change has not settled: what a response shows now may not be
    /// durable yet.
    var hasPending: Bool { applied > settled }

    /// Numbers a change that was just applied.
    func didApply() -> UInt64 {
        applied += 1
        return applied
    }

    /// The outcome of change `change` if it has settled, nil while it is pending: a caller that
    /// can act at once needs no closure kept for later.
    func settledOutcome(of change: UInt64) -> Outcome? {
        change > settled ? nil : outcome(of: change)
    }

    /// Runs `action` once the change numbered `change` (by default the newest) has settled: now,
    /// if it has.
    func whenSettled(_ change: UInt64? = nil, _ action: @escaping (Outcome) -> Void) {
        let change = change ?? applied
        guard change > settled else { return action(outcome(of: change)) }
        waiters.append((change, action))
    }

    /// The store's verdict on change `change` (verdicts arrive in order). A failure fails every
    /// change applied so far; the answer is true when this verdict began such a failure, and the
    /// caller must then roll memory back to what is committed.
    @discardableResult
    func settle(_ change: UInt64, _ outcome: Outcome) -> Bool {
        var began = false
        if case .failure(let error) = outcome, failed.map({ !$0.contains(change) }) ?? true {
            failed = change...applied
            failure = error
            began = true
        }
        settled = max(settled, change)
        var index = 0
        while index < waiters.count, waiters[index].change <= settled { index += 1 }
        let ready = waiters[..<index]
        waiters.removeFirst(index)
        for waiter in ready { waiter.action(self.outcome(of: waiter.change)) }
        return began
    }

    private func outcome(of change: UInt64) -> Outcome {
        if let failed, let failure, failed.contains(change) { return .failure(failure) }
        return .success(())
    }
}
