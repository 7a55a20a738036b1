/// A token bucket for one kind of log line, and the count of lines it held back.
///
/// Why: the contract logs every `stage_started`, so a trigger storm of a 100-stage pipeline wrote
/// 100,000 lines (38 MB) in 0.43 s — a way to fill a disk or drown an operator's log pipeline.
/// Lines pass at `perSecond` with a burst of one second's worth; the rest are counted and said
/// in one line per second instead (`EventHub.reportSuppressedLogLines`). A pure value on a
/// millisecond clock, so it is tested without sleeping.
struct LogRateLimiter {
    /// Lines per second, and the burst; 0 lets every line through.
    let perSecond: Int
    private var tokens: Double
    private var refilledAt: UInt64?
    private var suppressed = 0
    private var suppressingSince: UInt64 = 0

    init(perSecond: Int) {
        self.perSecond = perSecond
        tokens = Double(perSecond)
    }

    /// True when a line may be written at `now` (milliseconds); otherwise it is counted.
    mutating func admit(now: UInt64) -> Bool {
        guard perSecond > 0 else { return true }
        let elapsed = refilledAt.map { now > $0 ? now - $0 : 0 } ?? 0
        tokens = min(Double(perSecond), tokens + Double(elapsed) * Double(perSecond) / 1000)
        refilledAt = now
        if tokens >= 1 {
            tokens -= 1
            return true
        }
        if suppressed == 0 { suppressingSince = now }
        suppressed += 1
        return false
    }

    /// The lines held back and over how long, once a second has passed since the first of them
    /// (then the count starts again); nil otherwise.
    mutating func report(now: UInt64) -> (lines: Int, milliseconds: UInt64)? {
        guard suppressed > 0, now >= suppressingSince + 1000 else { return nil }
        defer { suppressed = 0 }
        return (suppressed, now - suppressingSince)
    }
}
