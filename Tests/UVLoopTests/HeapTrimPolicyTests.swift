import Testing
import UVLoop

/// When the heap is trimmed: once a burst of released output is over, not while it goes on.
struct HeapTrimPolicyTests {
    static let mebibyte = 1 << 20

    @Test func lessThanTheThresholdIsNeverTrimmed() {
        var policy = HeapTrimPolicy()
        #expect(policy.shouldTrim(afterReleasing: 7 * Self.mebibyte) == nil)
        #expect(policy.shouldTrim(afterReleasing: 0) == nil)
        #expect(policy.shouldTrim(afterReleasing: 0) == nil)
    }

    @Test func aBurstIsTrimmedOnceItsReleaseIsOver() {
        var policy = HeapTrimPolicy()
        #expect(policy.shouldTrim(afterReleasing: 300 * Self.mebibyte) == nil)  // still going on
        #expect(policy.shouldTrim(afterReleasing: 0) == 300 * Self.mebibyte)
        #expect(policy.shouldTrim(afterReleasing: 0) == nil)  // once
    }

    @Test func aSteadyStormIsNotTrimmedUntilItDiesDown() {
        var policy = HeapTrimPolicy()
        for _ in 0..<10 { #expect(policy.shouldTrim(afterReleasing: 20 * Self.mebibyte) == nil) }
        #expect(policy.shouldTrim(afterReleasing: 6 * Self.mebibyte) == nil)  // more than a quarter
        #expect(policy.shouldTrim(afterReleasing: 5 * Self.mebibyte) == 211 * Self.mebibyte)
    }

    @Test func releasesAddUpAcrossIntervals() {
        var policy = HeapTrimPolicy()
        #expect(policy.shouldTrim(afterReleasing: 4 * Self.mebibyte) == nil)
        #expect(policy.shouldTrim(afterReleasing: 4 * Self.mebibyte) == nil)  // the peak: not over yet
        #expect(policy.shouldTrim(afterReleasing: Self.mebibyte) == 9 * Self.mebibyte)
    }
}
