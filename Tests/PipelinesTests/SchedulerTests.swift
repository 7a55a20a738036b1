import Testing

@testable import Pipelines

struct SchedulerTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    @Test func eventsComeOutInDeadlineOrder() throws {
        var scheduler = Scheduler<String>()
        _ = try scheduler.schedule("c", at: at(300))
        _ = try scheduler.schedule("a", at: at(100))
        _ = try scheduler.schedule("b", at: at(200))
        #expect(scheduler.nextDeadline == at(100))
        #expect(scheduler.popDue(now: at(1000)) == ["a", "b", "c"])
        #expect(scheduler.nextDeadline == nil)
    }

    @Test func equalDeadlinesAreFirstInFirstOut() throws {
        var scheduler = Scheduler<Int>()
        for value in 0..<50 { _ = try scheduler.schedule(value, at: at(value % 2 == 0 ? 10 : 5)) }
        let popped = scheduler.popDue(now: at(10))
        let odd = Array(stride(from: 1, to: 50, by: 2))
        let even = Array(stride(from: 0, to: 50, by: 2))
        #expect(popped == odd + even)
    }

    @Test func entryIsDueAtItsDeadlineAndNotOneMillisecondBefore() throws {
        var scheduler = Scheduler<String>()
        _ = try scheduler.schedule("timeout", at: at(5000))
        #expect(scheduler.popDue(now: at(4999)).isEmpty)
        #expect(scheduler.popDue(now: at(5000)) == ["timeout"])
        #expect(scheduler.popDue(now: at(5000)).isEmpty)
    }

    @Test func cancelledEntriesNeverFireAndLeaveNextDeadline() throws {
        var scheduler = Scheduler<String>()
        let first = try scheduler.schedule("first", at: at(100))
        let middle = try scheduler.schedule("middle", at: at(150))
        _ = try scheduler.schedule("last", at: at(200))
        scheduler.cancel(first)
        #expect(scheduler.nextDeadline == at(150))
        scheduler.cancel(middle)
        #expect(scheduler.nextDeadline == at(200))
        #expect(scheduler.count == 1)
        #expect(scheduler.popDue(now: at(1000)) == ["last"])
    }

    @Test func cancellingTwiceOrAfterFiringChangesNothing() throws {
        var scheduler = Scheduler<String>()
        let token = try scheduler.schedule("once", at: at(10))
        #expect(scheduler.popDue(now: at(10)) == ["once"])
        scheduler.cancel(token)
        scheduler.cancel(token)
        _ = try scheduler.schedule("next", at: at(20))
        #expect(scheduler.count == 1)
        #expect(scheduler.popDue(now: at(20)) == ["next"])
    }

    @Test func fullQueueRejectsUntilSpaceIsFreed() throws {
        var scheduler = Scheduler<Int>(capacity: 2)
        let token = try scheduler.schedule(1, at: at(1))
        _ = try scheduler.schedule(2, at: at(2))
        #expect(throws: SchedulerFullError(capacity: 2)) { try scheduler.schedule(3, at: at(3)) }
        scheduler.cancel(token)
        #expect(scheduler.freeCapacity == 1)
        _ = try scheduler.schedule(3, at: at(3))
        #expect(scheduler.popDue(now: at(10)) == [2, 3])
    }

    @Test func massCancellationKeepsOrderAfterCompaction() throws {
        var scheduler = Scheduler<Int>()
        var tokens: [TimerToken] = []
        // Descending deadlines so cancelled entries sit deep in the heap, not on top.
        for value in 0..<10_000 { tokens.append(try scheduler.schedule(value, at: at(Int64(20_000 - value)))) }
        for (value, token) in tokens.enumerated() where value % 3 != 0 { scheduler.cancel(token) }
        let survivors = stride(from: 0, to: 10_000, by: 3).map { $0 }
        #expect(scheduler.count == survivors.count)
        #expect(scheduler.nextDeadline == at(Int64(20_000 - survivors.last!)))
        #expect(scheduler.popDue(now: at(20_000)) == survivors.reversed())
    }

    @Test func hundredThousandTimersFireInOrder() throws {
        var scheduler = Scheduler<Int>()
        for value in 0..<100_000 { _ = try scheduler.schedule(value, at: at(Int64(value % 1000))) }
        #expect(scheduler.popDue(now: at(-1)).isEmpty)
        let fired = scheduler.popDue(now: at(999))
        #expect(fired.count == 100_000)
        // Ordered by deadline, FIFO inside each millisecond.
        let expected = (0..<1000).flatMap { ms in stride(from: ms, to: 100_000, by: 1000).map { $0 } }
        #expect(fired == expected)
    }

    @Test func limitedPopLeavesTheRestDueInOrder() throws {
        var scheduler = Scheduler<Int>()
        for value in 0..<5 { _ = try scheduler.schedule(value, at: at(10)) }
        let cancelled = try scheduler.schedule(99, at: at(1))
        scheduler.cancel(cancelled)
        #expect(scheduler.popDue(now: at(10), limit: 2) == [0, 1])
        #expect(scheduler.nextDeadline == at(10))
        #expect(scheduler.count == 3)
        #expect(scheduler.popDue(now: at(10), limit: 2) == [2, 3])
        #expect(scheduler.popDue(now: at(10), limit: 2) == [4])
        #expect(scheduler.nextDeadline == nil)
    }
}
