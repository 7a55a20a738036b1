import Testing

@testable import Pipelines

struct RunBookJSONTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func runEncodesInDocumentedKeyOrderWithNulls() {
        let plan = RunPlan(
            pipelineID: "p1", parallel: false,
            stages: [
                .init(name: "Run tests", type: .run, timeout: 500),
                .init(name: "Ship \"it\"", type: .deploy, timeout: 30),
            ])
        var run = Run(
            id: RunID("6f1c2a7e-0b1d-4c3e-8f00-123456789abc")!, plan: plan,
            createdAt: Timestamp(year: 2026, month: 11, day: 29, hour: 10))
        run.status = .running
        run.stages[0].status = .running
        run.stages[0].startedAt = run.createdAt
        #expect(
            text(run.json) == """
                {"id":"6f1c2a7e-0b1d-4c3e-8f00-123456789abc","pipeline_id":"p1","status":"running",\
                "parallel":false,"created_at":"2026-11-29T10:00:00.000Z","finished_at":null,"stages":[\
                {"name":"Run tests","type":"Run","status":"running","timeout":500,\
                "started_at":"2026-11-29T10:00:00.000Z","finished_at":null},\
                {"name":"Ship \\"it\\"","type":"Deploy","status":"pending","timeout":30,\
                "started_at":null,"finished_at":null}]}
                """)
    }

    @Test func timedOutStageUsesTheWireSpelling() throws {
        var book = RunBook()
        let plan = RunPlan(pipelineID: "p", parallel: true, stages: [.init(name: "a", type: .run, timeout: 1)])
        let run = try book.trigger(plan, now: Timestamp(milliseconds: 0)).run!
        book.fire(now: Timestamp(milliseconds: 1000))
        let json = text(book.run(run.id)!.json)
        #expect(json.contains(#""status":"timed_out""#))
        #expect(json.contains(#""status":"failed""#))
        #expect(json.contains(#""finished_at":"1970-01-01T00:00:01.000Z""#))
    }

    @Test func eventEncodesStageOrNull() {
        let stageEvent = RunEvent(
            seq: 7, kind: .stageStarted, pipelineID: "p", runID: .numbered(10), stage: "line\nbreak",
            at: Timestamp(milliseconds: 1))
        #expect(
            text(stageEvent.json) == """
                {"seq":7,"type":"stage_started","pipeline_id":"p","run_id":"00000000-0000-4000-8000-00000000000a","stage":"line\\nbreak",\
                "at":"1970-01-01T00:00:00.001Z"}
                """)
        let runEvent = RunEvent(
            seq: 8, kind: .runCancelled, pipelineID: "p", runID: .numbered(10), stage: nil,
            at: Timestamp(milliseconds: 2))
        #expect(
            text(runEvent.json).contains(
                #""type":"run_cancelled","pipeline_id":"p","run_id":"00000000-0000-4000-8000-00000000000a","stage":null,"#
            ))
    }
}
