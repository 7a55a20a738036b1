/// Failed logins counted per client address, and the addresses throttled for them.
///
/// Why: without it a client may guess the password as fast as the server answers, tens of
/// thousands of guesses a second over one keep-alive connection. After `maxFailures` failed
/// logins within `window`, an address is throttled: every `/v1` request from it is refused
/// (429) for `firstPeriod`, and each further throttle lasts twice as long as the one before, up
/// to `longestPeriod`. A correct login forgets the address.
///
/// Memory: at most `capacity` addresses. An address is forgotten once its window has passed
/// and, if it was throttled, `longestPeriod` after its last throttle ended (a client that goes
/// on guessing meanwhile keeps doubling; one quiet for that long starts afresh). A full table
/// first forgets what expired, then the tenth of its addresses that failed least recently
/// (throttled ones last), so a client rotating through addresses cannot grow it.
///
/// A pure value on a millisecond clock, generic over the address, so it is tested without
/// sockets or sleeping.
struct LoginThrottle<Address: Hashable> {
    /// Failed logins within `window` that throttle an address; 0 turns throttling off.
    let maxFailures: Int
    let window: UInt64
    /// Addresses held at most.
    let capacity: Int
    /// How long the first throttle of an address lasts; each further one doubles it.
    let firstPeriod: UInt64 = 1_000
    /// The longest throttle, and how long a throttled address is remembered after it.
    let longestPeriod: UInt64 = 300_000
    /// How often `tidy` looks for expired addresses.
    let tidyInterval: UInt64 = 10_000

    /// A throttle that a failed login started: the address's failed logins so far, and how long
    /// it is refused.
    struct Throttle: Equatable {
        let failures: Int
        let milliseconds: UInt64
    }

    private struct Entry {
        /// Failed logins in the window that began at `windowStart`.
        var failures = 0
        var windowStart: UInt64 = 0
        /// Failed logins since the address was first counted: what the log line reports.
        var total = 0
        /// Throttles so far: the next one lasts `firstPeriod` doubled this many times.
        var throttles = 0
        var throttledUntil: UInt64 = 0
        var lastFailure: UInt64 = 0
    }

    private var entries: [Address: Entry] = [:]
    private var nextTidy: UInt64 = 0

    init(maxFailures: Int, window: UInt64, capacity: Int) {
        self.maxFailures = maxFailures
        self.window = window
        self.capacity = max(1, capacity)
    }

    var isEnabled: Bool { maxFailures > 0 }

    /// True when no address is counted: the server then need not ask who is logging in.
    var isEmpty: Bool { entries.isEmpty }

    /// Addresses held now, expired ones included until they are tidied away.
    var count: Int { entries.count }

    /// Milliseconds until `address` may try again; nil when it is not throttled.
    func throttled(_ address: Address, now: UInt64) -> UInt64? {
        guard let until = entries[address]?.throttledUntil, until > now else { return nil }
        return until - now
    }

    /// Counts a failed login from `address`; returns the throttle it starts when it is the
    /// `maxFailures`th within the window.
    mutating func failed(_ address: Address, now: UInt64) -> Throttle? {
        guard isEnabled else { return nil }
        var entry = Entry()
        if let known = entries[address] {
            if !isExpired(known, now: now) { entry = known }
        } else if entries.count >= capacity {
            makeRoom(now: now)
        }
        if entry.failures == 0 || now >= entry.windowStart + window {
            entry.failures = 0
            entry.windowStart = now
        }
        entry.failures += 1
        entry.total += 1
        entry.lastFailure = now
        var started: Throttle?
        if entry.failures >= maxFailures {
            let period = min(longestPeriod, firstPeriod << min(entry.throttles, 20))
            entry.throttles += 1
            entry.throttledUntil = now + period
            entry.failures = 0
            started = Throttle(failures: entry.total, milliseconds: period)
        }
        entries[address] = entry
        return started
    }

    /// A correct login from `address`: its count and its throttles are forgotten.
    mutating func succeeded(_ address: Address) {
        entries[address] = nil
    }

    /// Forgets expired addresses, at most once per `tidyInterval`: the server's sweep calls it,
    /// so a table that filled during an attack empties again once the attack is over.
    mutating func tidy(now: UInt64) {
        guard !entries.isEmpty, now >= nextTidy else { return }
        nextTidy = now + tidyInterval
        forgetExpired(now: now)
    }

    private mutating func forgetExpired(now: UInt64) {
        entries = entries.filter { !isExpired($0.value, now: now) }
    }

    private func isExpired(_ entry: Entry, now: UInt64) -> Bool {
        let remembered = entry.throttles > 0 ? entry.throttledUntil + longestPeriod : 0
        return now >= max(entry.windowStart + window, remembered)
    }

    /// Makes room for a new address in a full table: forgets what expired, and if that is not
    /// enough, the tenth of the table that failed least recently, throttled addresses last (one
    /// sort per tenth of the capacity, not a scan per new address).
    private mutating func makeRoom(now: UInt64) {
        forgetExpired(now: now)
        guard entries.count >= capacity else { return }
        let excess = entries.count - capacity + max(1, capacity / 10)
        let leastRecent = entries.sorted { a, b in
            let (aThrottled, bThrottled) = (a.value.throttledUntil > now, b.value.throttledUntil > now)
            return aThrottled != bThrottled ? !aThrottled : a.value.lastFailure < b.value.lastFailure
        }
        for (address, _) in leastRecent.prefix(excess) { entries[address] = nil }
    }
}
