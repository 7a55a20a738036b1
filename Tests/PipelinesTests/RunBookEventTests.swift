import Testing

@testable import Pipelines

struct RunBookEventTests {
    private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    @Test func sequenceNumbersAreGlobalAndStartAtOne() {
        var log = EventLog(capacity: 10)
        let first = log.append(.runQueued, pipelineID: "a", runID: .numbered(1), at: at(0))
        let second = log.append(.runStarted, pipelineID: "b", runID: .numbered(2), at: at(1))
        #expect(first.seq == 1)
        #expect(second.seq == 2)
        #expect(log.events(after: 0).events.map(\.seq) == [1, 2])
        #expect(log.events(after: 1).events.map(\.seq) == [2])
        #expect(log.events(after: 2) == ([], false))
    }

    @Test func ringOverflowDropsOldestAndReportsMissed() {
        var log = EventLog(capacity: 3)
        for index in 0..<5 {
            log.append(.stageStarted, pipelineID: "p", runID: .numbered(0), stage: "s\(index)", at: at(0))
        }
        #expect(log.oldestSeq == 3)
        let replay = log.events(after: 1)
        #expect(replay.missed)
        #expect(replay.events.map(\.seq) == [3, 4, 5])
        let resumed = log.events(after: 2)
        #expect(!resumed.missed)
        #expect(resumed.events.map(\.stage) == ["s2", "s3", "s4"])
        #expect(!log.events(after: 5).missed)
    }

    @Test func pipelineFilterKeepsOnlyThatPipeline() {
        var log = EventLog(capacity: 4)
        for index in 0..<6 {
            log.append(
                .runStarted, pipelineID: index % 2 == 0 ? "even" : "odd", runID: .numbered(index), at: at(Int64(index)))
        }
        let odd = log.events(after: 0, pipelineID: "odd")
        #expect(odd.missed)
        #expect(odd.events.map(\.runID) == [.numbered(3), .numbered(5)])
        #expect(log.events(after: 0, pipelineID: "none").events.isEmpty)
    }

    @Test func runBookPublishesRunStartedBeforeFirstStageStarted() throws {
        var book = RunBook()
        let plan = RunPlan(pipelineID: "p", parallel: false, stages: [.init(name: "a", type: .build, timeout: 1)])
        let run = try book.trigger(plan, now: at(42)).run!
        let events = book.log.events(after: 0).events
        #expect(events.map(\.type) == ["run_queued", "run_started", "stage_started"])
        #expect(events.allSatisfy { $0.runID == run.id && $0.pipelineID == "p" && $0.at == at(42) })
        #expect(events.map(\.stage) == [nil, nil, "a"])
    }

    @Test func idFromAnEarlierServerLifeReplaysEverythingAndReportsMissed() {
        var log = EventLog(capacity: 10)
        for index in 0..<3 { log.append(.runStarted, pipelineID: "p", runID: .numbered(index), at: at(0)) }
        let replay = log.events(after: 500)
        #expect(replay.missed)
        #expect(replay.events.map(\.seq) == [1, 2, 3])
        #expect(log.events(after: 3) == ([], false))
    }

    @Test func replayAfterOverflowResumesExactlyAfterTheGivenID() {
        var log = EventLog(capacity: 4)
        for index in 0..<10 {
            log.append(
                index % 2 == 0 ? .stageStarted : .stageSucceeded, pipelineID: index < 8 ? "a" : "b",
                runID: .numbered(0), stage: "s\(index)", at: at(Int64(index)))
        }
        // Ring holds seq 7...10; a subscriber that last saw 8 gets 9 and 10 with no gap.
        #expect(log.events(after: 8).events.map(\.seq) == [9, 10])
        #expect(!log.events(after: 8).missed)
        #expect(log.events(after: 6).missed == false)
        #expect(log.events(after: 5).missed)
        #expect(log.events(after: 6, pipelineID: "b").events.map(\.seq) == [9, 10])
    }
}
