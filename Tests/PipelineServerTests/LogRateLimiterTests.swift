import Testing

@testable import PipelineServer

/// The token bucket behind the `stage_started` rate limit, on a hand-moved millisecond clock.
struct LogRateLimiterTests {
    @Test func aBurstPassesThenLinesAreCountedAndReportedAfterASecond() {
        var limiter = LogRateLimiter(perSecond: 10)
        let passed = (0..<25).filter { _ in limiter.admit(now: 1_000) }.count
        #expect(passed == 10)
        let early = limiter.report(now: 1_999)
        #expect(early == nil)
        let report = limiter.report(now: 2_000)
        #expect(report?.lines == 15)
        #expect(report?.milliseconds == 1_000)
        let again = limiter.report(now: 3_000)
        #expect(again == nil)  // reported once
    }

    @Test func tokensRefillAtTheRate() {
        var limiter = LogRateLimiter(perSecond: 10)
        for _ in 0..<10 { _ = limiter.admit(now: 0) }
        let empty = limiter.admit(now: 0)
        let refilled = limiter.admit(now: 100)  // 100 ms: one token
        let emptyAgain = limiter.admit(now: 100)
        let burst = (0..<20).filter { _ in limiter.admit(now: 60_000) }.count  // never above the burst
        #expect(!empty && refilled && !emptyAgain)
        #expect(burst == 10)
    }

    @Test func zeroMeansNoLimit() {
        var limiter = LogRateLimiter(perSecond: 0)
        let all = (0..<100_000).allSatisfy { _ in limiter.admit(now: 0) }
        #expect(all)
        let report = limiter.report(now: 10_000)
        #expect(report == nil)
    }
}
