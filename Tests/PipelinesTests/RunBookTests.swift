import Testing

@testable import Pipelines

struct RunBookTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    private func plan(
        _ pipeline: String = "p1", parallel: Bool = false, stages: [String] = ["build", "test", "deploy"],
        timeout: Int = 60
    ) -> RunPlan {
        RunPlan(
            pipelineID: pipeline, parallel: parallel,
            stages: stages.map { RunPlan.Stage(name: $0, type: .run, timeout: timeout) })
    }

    private func statuses(_ run: Run) -> [StageStatus] { run.stages.map(\.status) }

    @Test func sequentialRunStartsStagesOneAfterAnother() throws {
        var book = RunBook()
        let step1 = try book.trigger(plan(), now: at(0))
        var run = step1.run!
        #expect(run.status == .running)
        #expect(statuses(run) == [.running, .pending, .pending])
        #expect(step1.events.map(\.type) == ["run_queued", "run_started", "stage_started"])
        run = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(10)).run!
        #expect(statuses(run) == [.succeeded, .running, .pending])
        #expect(run.stages[1].startedAt == at(10))
        run = try book.report(runID: run.id, stage: "test", succeeded: true, now: at(20)).run!
        let step2 = try book.report(runID: run.id, stage: "deploy", succeeded: true, now: at(30))
        run = step2.run!
        #expect(run.status == .succeeded)
        #expect(run.finishedAt == at(30))
        #expect(step2.events.map(\.type) == ["stage_succeeded", "run_succeeded"])
        #expect(book.nextDeadline == nil)
        #expect(book.activeCount == 0)
    }

    @Test func sequentialFailureSkipsPendingStages() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        let step3 = try book.report(runID: run.id, stage: "build", succeeded: false, now: at(5))
        let failed = step3.run!
        #expect(failed.status == .failed)
        #expect(statuses(failed) == [.failed, .skipped, .skipped])
        #expect(step3.events.map(\.type) == ["stage_failed", "stage_skipped", "stage_skipped", "run_failed"])
    }

    @Test func parallelRunStartsAllStagesAndSucceedsWhenAllDo() throws {
        var book = RunBook()
        let step4 = try book.trigger(plan(parallel: true), now: at(0))
        var run = step4.run!
        #expect(statuses(run) == [.running, .running, .running])
        #expect(step4.events.filter { $0.kind == .stageStarted }.map(\.stage) == ["build", "test", "deploy"])
        run = try book.report(runID: run.id, stage: "deploy", succeeded: true, now: at(1)).run!
        run = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(2)).run!
        #expect(run.status == .running)
        run = try book.report(runID: run.id, stage: "test", succeeded: true, now: at(3)).run!
        #expect(run.status == .succeeded)
    }

    @Test func parallelFailureCancelsStagesStillRunning() throws {
        var book = RunBook()
        let run = try book.trigger(plan(parallel: true), now: at(0)).run!
        _ = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(1))
        let failed = try book.report(runID: run.id, stage: "test", succeeded: false, now: at(2)).run!
        #expect(failed.status == .failed)
        #expect(statuses(failed) == [.succeeded, .failed, .cancelled])
        #expect(book.nextDeadline == nil)
    }

    @Test func zeroStageRunSucceedsAtOnce() throws {
        var book = RunBook()
        let step5 = try book.trigger(plan(stages: []), now: at(7))
        let run = step5.run!
        #expect(run.status == .succeeded)
        #expect(run.finishedAt == at(7))
        #expect(step5.events.map(\.type) == ["run_queued", "run_started", "run_succeeded"])
    }

    @Test func timeoutFiresAtExactlyItsDeadlineAndNotBefore() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeout: 5), now: at(1_000)).run!
        #expect(book.nextDeadline == at(6_000))
        #expect(book.fire(now: at(5_999)).events.isEmpty)
        #expect(book.run(run.id)?.status == .running)
        let events = book.fire(now: at(6_000)).events
        #expect(events.map(\.type) == ["stage_timed_out", "stage_skipped", "stage_skipped", "run_failed"])
        #expect(statuses(book.run(run.id)!) == [.timedOut, .skipped, .skipped])
        #expect(book.run(run.id)?.finishedAt == at(6_000))
    }

    @Test func nextStageTimeoutCountsFromItsOwnStart() throws {
        var book = RunBook()
        let run = try book.trigger(plan(timeout: 5), now: at(0)).run!
        _ = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(4_000))
        #expect(book.nextDeadline == at(9_000))
        #expect(book.fire(now: at(5_000)).events.isEmpty)
        #expect(book.fire(now: at(9_000)).events.first?.stage == "test")
    }

    @Test func reportErrorsNameTheProblem() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        #expect(throws: RunError.runNotFound) {
            try book.report(runID: .numbered(404), stage: "build", succeeded: true, now: at(1)).run!
        }
        #expect(throws: RunError.stageNotFound) {
            try book.report(runID: run.id, stage: "lint", succeeded: true, now: at(1)).run!
        }
        #expect(throws: RunError.conflict("Stage is pending, not running.")) {
            try book.report(runID: run.id, stage: "test", succeeded: true, now: at(1))
        }
    }

    @Test func retriggerCancelsThePreviousRunAndLateReportConflicts() throws {
        var book = RunBook()
        let first = try book.trigger(plan(), now: at(0)).run!
        let step6 = try book.trigger(plan(), now: at(10))
        let second = step6.run!
        #expect(book.run(first.id)?.status == .cancelled)
        #expect(statuses(book.run(first.id)!) == [.cancelled, .cancelled, .cancelled])
        #expect(book.activeRun(pipelineID: "p1") == second.id)
        #expect(step6.events.first?.kind == .stageCancelled)
        #expect(step6.events.map(\.type).contains("run_cancelled"))
        #expect(throws: RunError.conflict("Run is already cancelled.")) {
            try book.report(runID: first.id, stage: "build", succeeded: true, now: at(11))
        }
        // The cancelled run's timeout never fires.
        #expect(book.fire(now: at(60_000)).events.allSatisfy { $0.runID == second.id })
    }

    @Test func cancelThenCancelAgainConflicts() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        let step7 = try book.cancel(runID: run.id, now: at(3))
        let cancelled = step7.run!
        #expect(cancelled.status == .cancelled)
        #expect(step7.events.map(\.type) == ["stage_cancelled", "stage_cancelled", "stage_cancelled", "run_cancelled"])
        #expect(throws: RunError.conflict("Run is already cancelled.")) {
            try book.cancel(runID: run.id, now: at(4)).run!
        }
        #expect(throws: RunError.runNotFound) { try book.cancel(runID: .numbered(404), now: at(4)).run! }
    }

    @Test func forgettingAPipelineCancelsItsActiveRunThenDropsItsRuns() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        let other = try book.trigger(plan("p2"), now: at(0)).run!
        let forgotten = book.forget(pipelineID: "p1", now: at(5))
        #expect(forgotten.runs.map(\.id) == [run.id])
        #expect(forgotten.runs.first?.status == .cancelled)
        #expect(forgotten.removedRuns.map(\.id) == [run.id])
        #expect(
            forgotten.events.map(\.type) == ["stage_cancelled", "stage_cancelled", "stage_cancelled", "run_cancelled"])
        #expect(book.run(run.id) == nil)
        #expect(book.run(other.id)?.status == .running)
        #expect(throws: RunError.runNotFound) {
            try book.report(runID: run.id, stage: "build", succeeded: false, now: at(6))
        }
        #expect(book.forget(pipelineID: "p1", now: at(7)).isEmpty)
        #expect(book.activeCount == 1)
        #expect(book.nextDeadline == at(60_000), "only the other pipeline's timeout is still armed")
    }

    @Test func retryStartsNewRunFromStageOneOnlyForFailedOrCancelled() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        #expect(throws: RunError.conflict("Only failed or cancelled runs can be retried; this one is running.")) {
            try book.retry(runID: run.id, now: at(1))
        }
        _ = try book.report(runID: run.id, stage: "build", succeeded: true, now: at(2))
        _ = try book.report(runID: run.id, stage: "test", succeeded: false, now: at(3))
        let retried = try book.retry(runID: run.id, now: at(4)).run!
        #expect(retried.id != run.id)
        #expect(retried.stages.map(\.name) == ["build", "test", "deploy"])
        #expect(statuses(retried) == [.running, .pending, .pending])
        #expect(book.run(run.id)?.status == .failed)
        #expect(book.runs(pipelineID: "p1").runs.map(\.id) == [retried.id, run.id])
        // A succeeded run cannot be retried.
        let zero = try book.trigger(plan("p2", stages: []), now: at(5)).run!
        #expect(throws: RunError.conflict("Only failed or cancelled runs can be retried; this one is succeeded.")) {
            try book.retry(runID: zero.id, now: at(6))
        }
    }

    @Test func pipelineKeepsItsNewestHundredRuns() throws {
        var book = RunBook()
        var ids: [RunID] = []
        for step in 0..<130 { ids.append(try book.trigger(plan(), now: at(Int64(step))).run!.id) }
        let kept = book.runs(pipelineID: "p1", limit: 500).runs
        #expect(kept.count == 100)
        #expect(kept.map(\.id) == Array(ids.suffix(100).reversed()))
        #expect(book.run(ids[0]) == nil)
        #expect(book.run(ids[129])?.status == .running)
    }

    @Test func runsPageNewestFirstWithCursor() throws {
        var book = RunBook()
        var ids: [RunID] = []
        for step in 0..<5 { ids.append(try book.trigger(plan(stages: []), now: at(Int64(step))).run!.id) }
        let first = book.runs(pipelineID: "p1", limit: 2)
        #expect(first.runs.map(\.id) == [ids[4], ids[3]])
        #expect(first.nextCursor == ids[3])
        let second = book.runs(pipelineID: "p1", limit: 2, after: first.nextCursor)
        #expect(second.runs.map(\.id) == [ids[2], ids[1]])
        let last = book.runs(pipelineID: "p1", limit: 2, after: second.nextCursor)
        #expect(last.runs.map(\.id) == [ids[0]])
        #expect(last.nextCursor == nil)
    }

    @Test func activeRunCapAnswersFull() throws {
        var book = RunBook(maxActiveRuns: 2)
        _ = try book.trigger(plan("a"), now: at(0))
        _ = try book.trigger(plan("b"), now: at(0))
        #expect(throws: RunError.full) { try book.trigger(plan("c"), now: at(0)).run! }
        // Re-triggering an active pipeline replaces its run, so it still fits.
        _ = try book.trigger(plan("a"), now: at(1))
        #expect(book.activeCount == 2)
    }

    @Test func timerCapAnswersFull() throws {
        var book = RunBook(timerCapacity: 3)
        _ = try book.trigger(plan("a", parallel: true, stages: ["x", "y"]), now: at(0))
        #expect(throws: RunError.full) {
            try book.trigger(plan("b", parallel: true, stages: ["x", "y"]), now: at(0)).run!
        }
        _ = try book.trigger(plan("b", stages: ["x", "y"]), now: at(0))
    }

    @Test func runIDsAreLowercaseVersionFourUUIDs() throws {
        var book = RunBook()
        let runID = try book.trigger(plan(), now: at(0)).run!.id
        let id = runID.description
        let chars = Array(id)
        #expect(chars.count == 36)
        #expect([8, 13, 18, 23].allSatisfy { chars[$0] == "-" })
        #expect(chars[14] == "4")
        #expect("89ab".contains(chars[19]))
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(try book.trigger(plan(), now: at(1)).run!.id != runID)
        #expect(RunID(id) == runID)  // the text reads back as the same id
        #expect(RunID(id.uppercased()) == nil)  // another spelling is no id of ours
    }

    @Test func hundredThousandActiveRunsAllTimeOut() throws {
        var book = RunBook()
        for index in 0..<100_000 {
            _ = try book.trigger(plan("p\(index)", stages: ["only"], timeout: 1), now: at(Int64(index % 100)))
        }
        #expect(book.activeCount == 100_000)
        #expect(throws: RunError.full) { try book.trigger(plan("extra"), now: at(0)).run! }
        #expect(book.fire(now: at(999)).events.isEmpty)
        let events = book.fire(now: at(1_099)).events
        #expect(events.filter { $0.kind == .runFailed }.count == 100_000)
        #expect(book.activeCount == 0)
        #expect(book.nextDeadline == nil)
    }
}
