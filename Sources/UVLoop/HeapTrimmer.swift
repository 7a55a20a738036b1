import CLibUV

/// Gives the heap memory of a burst of queued output back to the kernel once the burst is over.
///
/// Why: glibc's malloc keeps freed memory for reuse. Free chunks inside the heap go back to the
/// kernel only through `malloc_trim`, and the heap's top only past a threshold that each freed
/// large (mmapped) buffer raises to twice its size, up to 64 MiB. So the megabytes that
/// hundreds of stalled subscribers had queued stayed in the process after they were dropped
/// (337 MiB of 355 MiB, four seconds later). A trim is cheap in itself, but every page it returns
/// costs a page fault when it is used again, so it runs once a burst has been freed, not while
/// one goes on (`HeapTrimPolicy`), and at most once per interval. Counting what was freed costs
/// one addition per queued write that completes (`Loop.releasedOutputBytes`); a response that
/// `uv_try_write` sent whole costs nothing.
///
/// Ownership: owns its timer, closed by `close()`. Thread: loop thread only.
@safe
public final class HeapTrimmer {
    /// What one trim did, for the log.
    public struct Report: Sendable {
        /// Queued output freed since the previous trim, in bytes (a frame shared by N
        /// connections counts N times).
        public let releasedBytes: Int
        /// How long `malloc_trim` took, in microseconds.
        public let microseconds: UInt64
    }

    private let loop: Loop
    private var policy: HeapTrimPolicy
    private var timer: LoopTimer?
    private let onTrim: (Report) -> Void
    private let trim: () -> Void

    /// Checks every `interval` milliseconds what was freed; `onTrim` hears of every trim.
    /// `trim` is what a trim does: `malloc_trim(0)`, or a stand-in in tests, which run
    /// concurrently with others in one process and so must not trim its heap every few
    /// milliseconds.
    public init(
        loop: Loop, interval: UInt64 = 1_000, policy: HeapTrimPolicy = HeapTrimPolicy(),
        trim: @escaping () -> Void = { _ = cuv_trim_heap() }, onTrim: @escaping (Report) -> Void = { _ in }
    ) throws(UVError) {
        self.loop = loop
        self.policy = policy
        self.trim = trim
        self.onTrim = onTrim
        let timer = try LoopTimer(loop: loop) { [unowned self] in tick() }
        timer.start(after: interval, repeatEvery: interval)
        self.timer = timer
    }

    /// Stops checking; call before the loop closes.
    public func close() {
        timer?.close()
        timer = nil
    }

    private func tick() {
        let released = loop.releasedOutputBytes
        loop.releasedOutputBytes = 0
        guard let total = policy.shouldTrim(afterReleasing: released) else { return }
        let start = uv_hrtime()
        trim()
        onTrim(Report(releasedBytes: total, microseconds: (uv_hrtime() - start) / 1_000))
    }
}

/// When a burst of freed output is worth trimming the heap for: enough was released since the
/// last trim (`threshold`), and the release has died down — one interval freed at most a
/// quarter of the most any interval freed since the last trim — so memory still being cycled
/// by a storm of writes is not handed back only to be faulted in again.
public struct HeapTrimPolicy: Sendable {
    /// The least released output worth a trim: 8 MiB, about 2,000 pages to give back.
    public var threshold = 8 << 20
    private var released = 0
    private var peak = 0

    public init() {}

    /// Records what one interval released; returns the bytes released since the last trim when
    /// the heap should be trimmed now, else nil.
    public mutating func shouldTrim(afterReleasing bytes: Int) -> Int? {
        released += bytes
        peak = max(peak, bytes)
        guard released >= threshold, bytes <= peak / 4 else { return nil }
        defer {
            released = 0
            peak = 0
        }
        return released
    }
}
