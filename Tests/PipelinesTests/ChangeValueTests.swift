import Testing

@testable import Pipelines

/// Operations return what happened, and `apply` is the only place state changes: working out
/// an operation leaves the book as it was, a change names every run and event it wrote, and
/// replaying the changes on an empty book rebuilds the same state (what recovery will do).
struct ChangeValueTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    private func plan(_ pipeline: String = "p1", stages: [String] = ["build", "test"]) -> RunPlan {
        RunPlan(
            pipelineID: pipeline, parallel: false,
            stages: stages.map { RunPlan.Stage(name: $0, type: .run, timeout: 60) })
    }

    @Test func workingOutAnOperationChangesNothingUntilItIsApplied() throws {
        var book = RunBook()
        let run = try book.trigger(plan(), now: at(0)).run!
        let changes = try book.reporting(runID: run.id, stage: "build", succeeded: true, now: at(5))
        #expect(book.run(run.id)?.stages.map(\.status) == [.running, .pending])
        #expect(book.log.lastSeq == 3)
        #expect(book.nextDeadline == at(60_000))
        book.apply(changes)
        #expect(book.run(run.id)?.stages.map(\.status) == [.succeeded, .running])
        #expect(book.log.lastSeq == 5)
        #expect(book.nextDeadline == at(60_005))
    }

    @Test func aTriggerNamesBothRunsItWroteAndTheRunItCancelled() throws {
        var book = RunBook()
        let first = try book.trigger(plan(), now: at(0)).run!
        let changes = try book.trigger(plan(), now: at(1))
        let second = try #require(changes.run)
        #expect(changes.cancelledRunID == first.id)
        #expect(changes.runs.map(\.id) == [first.id, second.id])
        #expect(changes.runs.map(\.status) == [.cancelled, .running])
        #expect(
            changes.events.map(\.type) == [
                "stage_cancelled", "stage_cancelled", "run_cancelled", "run_queued", "run_started", "stage_started",
            ])
        #expect(changes.events.map(\.seq) == Array(4...9))
    }

    @Test func replayingEveryChangeOnAnEmptyBookRebuildsTheSameState() throws {
        var book = RunBook()
        var replica = RunBook()
        var record: [RunChanges] = []
        let run = try book.trigger(plan(), now: at(0))
        record.append(run)
        record.append(try book.report(runID: run.run!.id, stage: "build", succeeded: true, now: at(10)))
        let other = try book.trigger(plan("p2"), now: at(20))
        record.append(other)
        record.append(try book.cancel(runID: other.run!.id, now: at(30)))
        record.append(try book.retry(runID: other.run!.id, now: at(40)))
        record.append(book.fire(now: at(70_000)))
        for changes in record { replica.apply(changes) }
        for id in [run.run!.id, other.run!.id, record[4].run!.id] { #expect(replica.run(id) == book.run(id)) }
        #expect(replica.activeCount == book.activeCount)
        #expect(replica.nextDeadline == book.nextDeadline)
        #expect(replica.log.events(after: 0).events == book.log.events(after: 0).events)
        #expect(replica.runs(pipelineID: "p2").runs.map(\.id) == book.runs(pipelineID: "p2").runs.map(\.id))
    }

    @Test func aPrunedRunIsNamedInTheChange() throws {
        var book = RunBook()
        var ids: [RunID] = []
        for index in 0..<RunBook.runsPerPipeline {
            let run = try book.trigger(plan(stages: []), now: at(Int64(index))).run!
            ids.append(run.id)
        }
        let changes = try book.trigger(plan(stages: []), now: at(1_000))
        #expect(changes.removedRuns.map(\.id) == [ids[0]])
        #expect(book.run(ids[0]) == nil)
        #expect(book.runs(pipelineID: "p1", limit: 500).runs.count == RunBook.runsPerPipeline)
    }

    @Test func registryWritesReturnTheirChangeAndTheMovedDeadline() async throws {
        let registry = PipelineRegistry(executor: ThreadExecutor.shared)
        let body =
            #"{"name":"ci","git_repository":"git@host:repo","stages":[{"name":"t","type":"Run","command":"make"}]}"#
        let created = await registry.create(try PipelineDocument.decode(Array(body.utf8)).get())
        guard case .put(let entry) = created.change.pipelines.first else {
            Issue.record("no put")
            return
        }
        #expect(entry.id == created.value.id)
        #expect(created.change.deadline == .unchanged)
        let id = created.value.id.description
        let triggered = try await registry.trigger(pipelineID: id, now: at(0))
        #expect(triggered.change.runs.runs.map(\.id) == [triggered.value.id])
        #expect(triggered.change.events.count == 3)
        #expect(triggered.change.deadline == .moved(to: at(600_000)))
        let deleted = try await registry.delete(id: id, now: at(1))
        guard case .remove(let removed) = deleted.change.pipelines.first else {
            Issue.record("no remove")
            return
        }
        #expect(removed.id == created.value.id)
        #expect(deleted.change.runs.removedRuns.map(\.id) == [triggered.value.id])
        #expect(deleted.change.events.map(\.type).last == "run_cancelled")
        #expect(deleted.change.deadline == .moved(to: nil))
    }
}
