import Foundation
import TestSupport

/// The resident memory of a server under test, read from `/proc/PID/status` (`VmRSS`): its
/// highest value while a burst runs (sampled on a thread of its own, so a blocked client does
/// not miss the peak), and how soon it comes back afterwards.
final class ResidentMemory: @unchecked Sendable {
    let pid: Int32
    private let peakMiB = Locked(0.0)
    private let stopped = Locked(false)
    private var sampler: Thread?

    init(pid: Int32) {
        self.pid = pid
    }

    /// The resident set now, in MiB.
    var currentMiB: Double { residentMiB(of: pid) }

    /// Starts sampling every 10 ms; `peak` is the highest value seen since.
    func startSampling() {
        peakMiB.withLock { $0 = currentMiB }
        let thread = Thread { [self] in
            while !stopped.withLock({ $0 }) {
                let now = currentMiB
                peakMiB.withLock { $0 = max($0, now) }
                usleep(10_000)
            }
        }
        sampler = thread
        thread.start()
    }

    /// Stops sampling; the highest resident set seen, in MiB.
    func stopSampling() -> Double {
        stopped.withLock { $0 = true }
        while sampler?.isFinished == false { usleep(5_000) }
        return peakMiB.withLock { $0 }
    }

    /// Polls every 100 ms until the resident set is at most `limit` MiB or `seconds` pass;
    /// returns the last value read and how long it took (nil: not within `seconds`).
    func waitUntil(atMost limit: Double, seconds: Double) -> (miB: Double, seconds: Double?) {
        let start = Date()
        while true {
            let now = currentMiB
            let waited = Date().timeIntervalSince(start)
            if now <= limit { return (now, waited) }
            if waited >= seconds { return (now, nil) }
            usleep(100_000)
        }
    }

    /// Waits until the resident set stops falling (two reads 200 ms apart within 0.5 MiB, at
    /// most `seconds`): a baseline taken while set-up memory is still being given back would
    /// be too high.
    func settled(seconds: Double = 2) -> Double {
        let start = Date()
        var last = currentMiB
        while Date().timeIntervalSince(start) < seconds {
            usleep(200_000)
            let now = currentMiB
            if abs(now - last) < 0.5 { return now }
            last = now
        }
        return last
    }
}
