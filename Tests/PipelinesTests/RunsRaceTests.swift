import Testing

@testable import Pipelines

/// Operations that overlap in time: a report arriving after its run was cancelled, re-triggered
/// or deleted, and retries racing an active run. Each must leave one consistent answer.
struct RunsRaceTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    private func plan(_ pipeline: String = "p", parallel: Bool = false) -> RunPlan {
        RunPlan(
            pipelineID: pipeline, parallel: parallel,
            stages: [
                .init(name: "build", type: .build, timeout: 60),
                .init(name: "deploy", type: .deploy, timeout: 60),
            ])
    }

    @Test func reportAfterCancelConflictsAndChangesNothing() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true), now: at(0)).run!
        let cancelled = try book.cancel(runID: run.id, now: at(1)).run!
        #expect(cancelled.stages.map(\.status) == [.cancelled, .cancelled])
        let seq = book.log.lastSeq
        #expect(throws: RunError.conflict("Run is already cancelled.")) {
            try book.report(runID: run.id, stage: "build", succeeded: true, now: at(2))
        }
        #expect(book.log.lastSeq == seq)
        #expect(book.run(run.id) == cancelled)
    }

    @Test func cancelAfterSuccessConflicts() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true), now: at(0)).run!
        _ = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(1))
        _ = try book.report(runID: run.id, stage: "deploy", succeeded: true, now: at(2))
        #expect(throws: RunError.conflict("Run is already succeeded.")) {
            try book.cancel(runID: run.id, now: at(3)).run!
        }
    }

    @Test func retriggerPublishesTheOldRunsCancellationBeforeTheNewRun() throws {
        var book = RunBook()
        let old = try book.trigger(plan(), now: at(0)).run!
        let step1 = try book.trigger(plan(), now: at(5))
        let new = step1.run!
        let events = step1.events.map { "\($0.runID == old.id ? "old" : "new") \($0.type)" }
        #expect(
            events == [
                "old stage_cancelled", "old stage_cancelled", "old run_cancelled",
                "new run_queued", "new run_started", "new stage_started",
            ])
        #expect(book.run(new.id)?.status == .running)
        #expect(book.activeCount == 1)
    }

    @Test func retryCancelsTheRunThatIsActiveNow() throws {
        var book = RunBook()
        let failed = try book.trigger(plan(), now: at(0)).run!
        _ = try book.report(runID: failed.id, stage: "build", succeeded: false, now: at(1))
        let newer = try book.trigger(plan(), now: at(2)).run!
        let retried = try book.retry(runID: failed.id, now: at(3)).run!
        #expect(book.run(newer.id)?.status == .cancelled)
        #expect(book.activeRun(pipelineID: "p") == retried.id)
        #expect(retried.createdAt == at(3))
        #expect(retried.stages.allSatisfy { $0.finishedAt == nil })
        // The retried run is untouched and can be retried again.
        #expect(book.run(failed.id)?.status == .failed)
        #expect(try book.retry(runID: failed.id, now: at(4)).run!.id != retried.id)
    }

    @Test func retryUsesTheSnapshotNotALaterPlan() throws {
        var book = RunBook()
        let first = try book.trigger(plan(), now: at(0)).run!
        _ = try book.cancel(runID: first.id, now: at(1))
        // The pipeline was edited: a later trigger uses the new stages …
        let edited = RunPlan(pipelineID: "p", parallel: true, stages: [.init(name: "lint", type: .run, timeout: 5)])
        _ = try book.trigger(edited, now: at(2))
        // … but a retry of the first run uses the first run's snapshot.
        let retried = try book.retry(runID: first.id, now: at(3)).run!
        #expect(retried.stages.map(\.name) == ["build", "deploy"])
        #expect(retried.parallel == false)
    }

    @Test func retryWhenFullIsRefusedWithoutTouchingTheActiveRun() throws {
        var book = RunBook(maxActiveRuns: 1)
        let failed = try book.trigger(plan("a"), now: at(0)).run!
        _ = try book.report(runID: failed.id, stage: "build", succeeded: false, now: at(1))
        let other = try book.trigger(plan("b"), now: at(2)).run!
        #expect(throws: RunError.full) { try book.retry(runID: failed.id, now: at(3)).run! }
        #expect(book.run(other.id)?.status == .running)
    }

    @Test func deleteCancelsThenForgetsSoLateReportsFindNoRun() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true), now: at(0)).run!
        let kept = try book.trigger(plan("q"), now: at(0)).run!
        let deleted = book.forget(pipelineID: "p", now: at(1))
        #expect(deleted.events.map(\.type) == ["stage_cancelled", "stage_cancelled", "run_cancelled"])
        #expect(throws: RunError.runNotFound) {
            try book.report(runID: run.id, stage: "build", succeeded: true, now: at(2)).run!
        }
        #expect(book.runs(pipelineID: "p").runs.isEmpty)
        #expect(book.nextDeadline == at(60_000))
        #expect(book.fire(now: at(60_000)).events.allSatisfy { $0.runID == kept.id })
    }

    @Test func cancelledRunsFreeTheirTimersForNewRuns() throws {
        var book = RunBook(timerCapacity: 2)
        let run = try book.trigger(plan(parallel: true), now: at(0)).run!
        #expect(throws: RunError.full) { try book.trigger(plan("q", parallel: true), now: at(0)).run! }
        _ = try book.cancel(runID: run.id, now: at(1))
        _ = try book.trigger(plan("q", parallel: true), now: at(2))
        // A re-trigger counts the timers it frees: same pipeline, same size, still fits.
        _ = try book.trigger(plan("q", parallel: true), now: at(3))
        #expect(book.activeCount == 1)
    }
}
