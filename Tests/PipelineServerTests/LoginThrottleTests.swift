import Testing

@testable import PipelineServer

/// The failed-login table behind the 429 throttle, as a pure value on a hand-moved clock:
/// its bounds at the default capacity, which the in-process tests cannot reach cheaply.
struct LoginThrottleTests {
    static func standard() -> LoginThrottle<Int> {
        let configuration = ServerConfiguration()
        return LoginThrottle(
            maxFailures: configuration.maxFailedLogins, window: configuration.failedLoginWindowMilliseconds,
            capacity: configuration.failedLoginAddresses)
    }

    @Test func theDefaultsAreTenFailuresAMinuteAndTenThousandAddresses() {
        let throttle = Self.standard()
        #expect(throttle.maxFailures == 10)
        #expect(throttle.window == 60_000)
        #expect(throttle.capacity == 10_000)
        #expect(throttle.firstPeriod == 1_000)
        #expect(throttle.longestPeriod == 300_000)
    }

    @Test func addressesRotatingPastTheCapacityNeverGrowTheTableOrFreeAThrottledOne() {
        var throttle = Self.standard()
        for _ in 0..<10 { _ = throttle.failed(-1, now: 0) }
        var largest = 0
        for address in 0..<50_000 {
            _ = throttle.failed(address, now: UInt64(address / 100))  // 100 new addresses a millisecond
            largest = max(largest, throttle.count)
        }
        #expect(largest == 10_000)
        #expect(throttle.throttled(-1, now: 500) == 500, "throttled addresses are evicted last")
        #expect(throttle.throttled(49_999, now: 500) == nil)
    }

    @Test func aThrottledAddressIsRememberedFiveMinutesAfterItsThrottleEnds() {
        var throttle = Self.standard()
        var started: LoginThrottle<Int>.Throttle?
        for _ in 0..<10 { started = throttle.failed(1, now: 0) }
        #expect(started == .init(failures: 10, milliseconds: 1_000))
        for _ in 0..<10 { started = throttle.failed(1, now: 300_999) }
        #expect(started == .init(failures: 20, milliseconds: 2_000), "remembered: it doubles")
        throttle.tidy(now: 302_999 + 299_999)  // the second throttle ended at 302,999
        #expect(throttle.count == 1)
        throttle.tidy(now: 302_999 + 300_000 + throttle.tidyInterval)  // the next tidy, 10 s on
        #expect(throttle.isEmpty)
        for _ in 0..<10 { started = throttle.failed(1, now: 700_000) }
        #expect(started == .init(failures: 10, milliseconds: 1_000), "forgotten: it starts afresh")
    }
}
