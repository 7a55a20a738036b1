import Testing
@testable import PipelineServer

/// The connection policy without sockets: events in, actions out, time on a manual clock
/// (plain integers of loop milliseconds).
struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<String>

    static let timeouts = Machine.Timeouts(head: 10, body: 30, idle: 60, write: 20, drain: 5)

    /// What the glue would write and do, as text: `send(a)`, `send(a, close)`, `continue`,
    /// `closeAfterFlush`, `close`.
    static func describe(_ actions: [Machine.Action]) -> [String] {
        actions.map { action in
            switch action {
            case .send(let payload, let keepAlive): keepAlive ? "send(\(payload))" : "send(\(payload), close)"
            case .sendContinue: "continue"
            case .closeAfterFlush: "closeAfterFlush"
            case .close: "close"
            }
        }
    }

    /// A bodyless keep-alive request read whole at `now`; returns its id.
    static func request(_ machine: inout Machine, keepAlive: Bool = true, now: UInt64 = 0) -> Machine.RequestID {
        let (id, actions) = machine.headReceived(keepAlive: keepAlive, hasBody: false, expectsContinue: false, now: now)
        #expect(actions.isEmpty)
        machine.requestEnded(now: now)
        return id
    }

    @Test func pipelinedResponsesLeaveInRequestOrderWhateverOrderTheyAreReadyIn() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        let third = Self.request(&machine)
        #expect(machine.inFlight == 3)
        #expect(Self.describe(machine.responseReady(third, "3")).isEmpty)
        #expect(Self.describe(machine.responseReady(second, "2")).isEmpty)
        #expect(Self.describe(machine.responseReady(first, "1")) == ["send(1)", "send(2)", "send(3)"])
        #expect(machine.inFlight == 0)
        #expect(machine.phase == .idle)
    }

    @Test func aResponseReadyTwiceIsSentOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine)
        #expect(Self.describe(machine.responseReady(id, "a")) == ["send(a)"])
        #expect(machine.responseReady(id, "b").isEmpty)
    }

    @Test func connectionCloseEndsTheConnectionAfterItsResponseAndReadsNothingMore() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine, keepAlive: false)
        #expect(machine.phase == .closing)
        #expect(machine.acceptsRequests == false)
        #expect(Self.describe(machine.responseReady(id, "bye")) == ["send(bye, close)", "closeAfterFlush"])
    }

    @Test func inFlightRequestsAreBounded() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        var ids: [Machine.RequestID] = []
        while machine.acceptsRequests { ids.append(Self.request(&machine)) }
        #expect(ids.count == Machine.maxInFlight)
        _ = machine.responseReady(ids[0], "first")
        #expect(machine.acceptsRequests)
    }

    @Test func aFailedRequestIsAnsweredAfterThePendingResponsesThenTheConnectionCloses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        #expect(machine.requestFailed("400").isEmpty, "the 400 must wait for the earlier response")
        #expect(machine.acceptsRequests == false)
        #expect(Self.describe(machine.responseReady(first, "200")) == ["send(200)", "send(400, close)", "closeAfterFlush"])
    }

    @Test func theHeadTimeoutRunsFromTheFirstByteAndDoesNotRestart() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(machine.deadline == 10, "a connection that never speaks gets the head timeout")
        _ = machine.responseReady(Self.request(&machine, now: 5), "ok")
        #expect(machine.deadline == 65)
        machine.headStarted(now: 100)
        machine.headStarted(now: 105)  // more bytes of the same head
        #expect(machine.deadline == 110)
        #expect(machine.timerFired(now: 109, timeoutResponse: "408").isEmpty)
        #expect(Self.describe(machine.timerFired(now: 110, timeoutResponse: "408")) == ["send(408, close)", "closeAfterFlush"])
    }

    @Test func theBodyTimeoutRestartsWithProgressAndEndsIn408() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let (_, actions) = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: false, now: 0)
        #expect(actions.isEmpty)
        #expect(machine.deadline == 30)
        machine.bodyProgressed(now: 20)
        #expect(machine.deadline == 50)
        #expect(Self.describe(machine.timerFired(now: 50, timeoutResponse: "408")) == ["send(408, close)", "closeAfterFlush"])
    }

    @Test func expectContinueIsAnsweredWhenTheHeadPassed() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let (_, actions) = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: true, now: 0)
        #expect(Self.describe(actions) == ["continue"])
    }

    @Test func anIdleConnectionClosesAfterTheIdleTimeoutButNotWhileItsResponseIsPending() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine, now: 0)
        #expect(machine.timerFired(now: 60, timeoutResponse: "408").isEmpty, "waiting for a commit is not idling")
        #expect(machine.deadline == 120)
        _ = machine.responseReady(id, "late")
        #expect(Self.describe(machine.timerFired(now: 120, timeoutResponse: "408")) == ["close"])
    }

    @Test func outputThatDoesNotMoveWithinTheWriteTimeoutClosesTheConnection() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.responseReady(Self.request(&machine), "big")
        machine.outputQueued(now: 1)
        machine.outputQueued(now: 15)  // still the first stall
        #expect(machine.deadline == 21)
        machine.outputProgressed(remaining: 10, now: 18)
        #expect(machine.deadline == 38)
        #expect(Self.describe(machine.timerFired(now: 38, timeoutResponse: "408")) == ["close"])
        machine.outputProgressed(remaining: 0, now: 18)
        #expect(machine.deadline == 60, "back to the idle deadline once the output is gone")
    }

    @Test func aStreamTakesTheConnectionAndItsEndGetsTheDrainWindow() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let stream = Self.request(&machine)
        let behind = Self.request(&machine)
        _ = machine.responseReady(behind, "ignored")
        #expect(Self.describe(machine.responseReady(stream, "events", kind: .stream)) == ["send(events)"])
        #expect(machine.phase == .streaming)
        #expect(machine.acceptsRequests == false)
        #expect(machine.deadline == .max, "a live stream has no input deadline")
        machine.streamEnded(now: 1_000)
        #expect(machine.deadline == 1_005)
        #expect(Self.describe(machine.timerFired(now: 1_005, timeoutResponse: "408")) == ["close"])
    }

    @Test func shutdownClosesAnIdleConnectionAtOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.responseReady(Self.request(&machine), "ok")
        #expect(Self.describe(machine.shutdownBegan()) == ["close"])
    }

    @Test func shutdownLetsPendingResponsesLeaveAndTheLastOneCloses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        #expect(machine.shutdownBegan().isEmpty)
        #expect(machine.acceptsRequests == false)
        #expect(Self.describe(machine.responseReady(first, "1")) == ["send(1)"])
        #expect(Self.describe(machine.responseReady(second, "2")) == ["send(2, close)", "closeAfterFlush"])
    }

    @Test func shutdownFinishesTheRequestBeingReadAndAnswersItWithClose() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let (id, _) = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: false, now: 0)
        #expect(machine.shutdownBegan().isEmpty)
        machine.requestEnded(now: 1)
        #expect(Self.describe(machine.responseReady(id, "done")) == ["send(done, close)", "closeAfterFlush"])
    }

    @Test func aPeerThatClosesItsSideStillGetsItsPendingResponses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine)
        #expect(machine.peerEnded().isEmpty)
        #expect(Self.describe(machine.responseReady(id, "ok")) == ["send(ok, close)", "closeAfterFlush"])
        var quiet = Machine(timeouts: Self.timeouts, now: 0)
        #expect(Self.describe(quiet.peerEnded()) == ["closeAfterFlush"])
    }
}
