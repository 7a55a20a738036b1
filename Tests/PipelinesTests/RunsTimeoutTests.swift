import Testing

@testable import Pipelines

/// Stage timeouts as API.md states them: due exactly `timeout` seconds after the stage started,
/// recorded at that instant however late the loop's timer fires, and never after a stage ended.
struct RunsTimeoutTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    private func plan(_ pipeline: String = "p", parallel: Bool = false, timeouts: [Int]) -> RunPlan {
        RunPlan(
            pipelineID: pipeline, parallel: parallel,
            stages: timeouts.enumerated().map {
                RunPlan.Stage(name: "s\($0.offset)", type: .run, timeout: $0.element)
            })
    }

    @Test func parallelTimeoutFailsTheRunAndCancelsTheStagesStillRunning() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true, timeouts: [10, 2, 30]), now: at(0)).run!
        _ = try book.report(runID: run.id, stage: "s0", succeeded: true, now: at(1_000))
        #expect(book.nextDeadline == at(2_000))
        let events = book.fire(now: at(2_000)).events
        #expect(events.map(\.type) == ["stage_timed_out", "stage_cancelled", "run_failed"])
        #expect(events.map(\.stage) == ["s1", "s2", nil])
        #expect(book.run(run.id)!.stages.map(\.status) == [.succeeded, .timedOut, .cancelled])
        #expect(book.nextDeadline == nil)
    }

    @Test func stagesDueAtTheSameInstantTimeOutInStartOrderAndOnlyTheFirstCounts() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true, timeouts: [5, 5, 5]), now: at(0)).run!
        let events = book.fire(now: at(5_000)).events
        #expect(events.map(\.type) == ["stage_timed_out", "stage_cancelled", "stage_cancelled", "run_failed"])
        #expect(events.first?.stage == "s0")
        #expect(book.run(run.id)?.status == .failed)
    }

    @Test func lateTimerRecordsTheDeadlineNotTheFiringTime() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeouts: [3, 3]), now: at(500)).run!
        // The loop was busy (or the server restarted): the timer fires a minute late.
        let events = book.fire(now: at(63_500)).events
        #expect(events.allSatisfy { $0.at == at(3_500) })
        let failed = try #require(book.run(run.id))
        #expect(failed.finishedAt == at(3_500))
        #expect(failed.stages[0].finishedAt == at(3_500))
        #expect(failed.stages.map(\.status) == [.timedOut, .skipped])
    }

    @Test func reportAtTheDeadlineIsRefusedEvenBeforeTheTimerFires() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeouts: [2]), now: at(0)).run!
        #expect(throws: RunError.conflict("Stage timed out.")) {
            try book.report(runID: run.id, stage: "s0", succeeded: true, now: at(2_000))
        }
        #expect(book.run(run.id)?.stages[0].status == .running, "a refused report changes nothing")
        #expect(book.fire(now: at(2_001)).events.map(\.type) == ["stage_timed_out", "run_failed"])
    }

    @Test func reportOneMillisecondBeforeTheDeadlineWins() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeouts: [2]), now: at(0)).run!
        let done = try book.report(runID: run.id, stage: "s0", succeeded: true, now: at(1_999)).run!
        #expect(done.status == .succeeded)
        #expect(book.fire(now: at(2_000)).events.isEmpty)
        #expect(book.nextDeadline == nil)
    }

    @Test func reportAfterTimeoutConflicts() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeouts: [1, 1]), now: at(0)).run!
        book.fire(now: at(1_000))
        #expect(throws: RunError.conflict("Run is already failed.")) {
            try book.report(runID: run.id, stage: "s0", succeeded: true, now: at(1_001))
        }
    }

    @Test func succeededStageNeverTimesOutAndTheNextStageGetsItsOwnDeadline() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeouts: [10, 1]), now: at(0)).run!
        _ = try book.report(runID: run.id, stage: "s0", succeeded: true, now: at(9_000))
        #expect(book.nextDeadline == at(10_000))
        let events = book.fire(now: at(10_000)).events
        #expect(events.first?.stage == "s1")
        #expect(events.first?.kind == .stageTimedOut)
    }

    @Test func timeoutsFireByDeadlineThenInTriggerOrder() throws {
        var book = RunBook()
        let first = try book.trigger(plan("a", timeouts: [1]), now: at(0)).run!
        let second = try book.trigger(plan("b", timeouts: [1]), now: at(0)).run!
        let third = try book.trigger(plan("c", timeouts: [1]), now: at(-1)).run!  // due at 999
        let failed = book.fire(now: at(1_000)).events.filter { $0.kind == .runFailed }.map(\.runID)
        #expect(failed == [third.id, first.id, second.id])
    }

    @Test func batchedFiringAppliesEveryDueTimeoutAcrossCalls() throws {
        var book = RunBook()
        for index in 0..<10 { _ = try book.trigger(plan("p\(index)", timeouts: [1]), now: at(0)).run! }
        var failed = 0
        var calls = 0
        // Bounded: a firing that makes no progress must fail here, not spin forever.
        for _ in 0..<10 {
            guard let next = book.nextDeadline, next <= at(1_000) else { break }
            failed += book.fire(now: at(1_000), limit: 4).events.filter { $0.kind == .runFailed }.count
            calls += 1
        }
        #expect(failed == 10)
        #expect(calls == 3)
        #expect(book.activeCount == 0)
    }

    @Test func oneLateFiringOverManyRunsFailsEachRunOnce() throws {
        var book = RunBook()
        // Every first stage is due before every second one, so the firing comes back to the
        // first run after it has touched all the others, and must see its own change.
        let runs = try (0..<20).map {
            try book.trigger(plan("p\($0)", parallel: true, timeouts: [1, 2]), now: at(0)).run!
        }
        let changes = book.fire(now: at(2_000))
        #expect(changes.runs.map(\.id) == runs.map(\.id))
        for run in runs {
            let types = changes.events.filter { $0.runID == run.id }.map(\.type)
            #expect(types == ["stage_timed_out", "stage_cancelled", "run_failed"])
            #expect(book.run(run.id)?.stages.map(\.status) == [.timedOut, .cancelled])
        }
        #expect(book.activeCount == 0)
        #expect(book.nextDeadline == nil)
    }
}
