import Logging
import Pipelines
import Testing

@testable import PipelineServer

/// The `stage_started` log lines the event hub writes when a change is published, whether or
/// not anyone follows the event stream.
struct StageLogTests {
    private final class StoppedClock: MonotonicClock {
        var now: UInt64 { 1_000 }
    }

    @Test func aParallelStartLogsEachStageOnceWithNoSubscribers() throws {
        let (logger, lines) = RecordingLogHandler.logger()
        let hub = EventHub(logger: logger, clock: StoppedClock())
        var book = RunBook()
        let plan = RunPlan(
            pipelineID: "p", parallel: true,
            stages: ["a", "b", "c"].map { RunPlan.Stage(name: $0, type: .run, timeout: 60) })
        let changes = try book.trigger(plan, now: Timestamp(milliseconds: 0))
        hub.publish(changes.events)
        let logged = lines.withLock { $0 }
        #expect(logged.map(\.message) == ["stage_started", "stage_started", "stage_started"])
        #expect(logged.map { $0.metadata["stage"] } == ["a", "b", "c"])
        #expect(logged.allSatisfy { $0.metadata["run_id"] == changes.run?.id.description })
        #expect(hub.subscriberCount == 0)
    }
}
