import Testing

@testable import PipelineServer

/// The connection policy without sockets: events in, actions out, time on a manual clock
/// (plain integers of loop milliseconds).
struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<String>

    static let timeouts = Machine.Timeouts(head: 10, body: 30, idle: 60, write: 20, drain: 5)

    /// Takes every due action, as the glue does after each event, and says what the glue would
    /// write and do, as text: `send(a)`, `send(a, close)`, `continue`, `closeAfterFlush`, `close`.
    static func actions(_ machine: inout Machine) -> [String] {
        var actions: [String] = []
        while let action = machine.nextAction() {
            switch action {
            case .send(let payload, let keepAlive):
                actions.append(keepAlive ? "send(\(payload))" : "send(\(payload), close)")
            case .sendContinue: actions.append("continue")
            case .closeAfterFlush: actions.append("closeAfterFlush")
            case .close: actions.append("close")
            }
        }
        return actions
    }

    /// A bodyless keep-alive request read whole at `now`; returns its id.
    static func request(_ machine: inout Machine, keepAlive: Bool = true, now: UInt64 = 0) -> Machine.RequestID {
        let id = machine.headReceived(keepAlive: keepAlive, hasBody: false, expectsContinue: false, now: now)
        #expect(actions(&machine).isEmpty)
        machine.requestEnded(now: now)
        return id
    }

    /// `event`, then the actions it made due.
    static func after(_ machine: inout Machine, _ event: (inout Machine) -> Void) -> [String] {
        event(&machine)
        return actions(&machine)
    }

    /// `responseReady`, then the actions it made due.
    static func ready(
        _ machine: inout Machine, _ id: Machine.RequestID, _ payload: String,
        kind: Machine.Kind = .complete
    ) -> [String] {
        machine.responseReady(id, payload, kind: kind)
        return actions(&machine)
    }

    @Test func pipelinedResponsesLeaveInRequestOrderWhateverOrderTheyAreReadyIn() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        let third = Self.request(&machine)
        #expect(machine.inFlight == 3)
        #expect(Self.ready(&machine, third, "3").isEmpty)
        #expect(Self.ready(&machine, second, "2").isEmpty)
        #expect(Self.ready(&machine, first, "1") == ["send(1)", "send(2)", "send(3)"])
        #expect(machine.inFlight == 0)
        #expect(machine.phase == .idle)
    }

    @Test func aResponseReadyTwiceIsSentOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine)
        #expect(Self.ready(&machine, id, "a") == ["send(a)"])
        #expect(Self.ready(&machine, id, "b").isEmpty)
    }

    @Test func connectionCloseEndsTheConnectionAfterItsResponseAndReadsNothingMore() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine, keepAlive: false)
        #expect(machine.phase == .closing)
        #expect(machine.acceptsRequests == false)
        #expect(Self.ready(&machine, id, "bye") == ["send(bye, close)", "closeAfterFlush"])
    }

    @Test func anAnswerReadyAtOnceLeavesWithoutQueuingAndKeepsTheRules() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let open = Self.request(&machine)
        #expect(machine.releaseAtOnce(open, kind: .complete) == true)
        #expect(Self.actions(&machine).isEmpty && machine.inFlight == 0 && machine.phase == .idle)
        let last = Self.request(&machine, keepAlive: false)
        #expect(machine.releaseAtOnce(last, kind: .complete) == false)
        #expect(Self.actions(&machine) == ["closeAfterFlush"])
    }

    @Test func anAnswerBehindAnEarlierOneIsNotReleasedAtOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        #expect(machine.releaseAtOnce(second, kind: .complete) == nil, "the first answer is still outstanding")
        #expect(Self.ready(&machine, second, "2").isEmpty)
        #expect(Self.ready(&machine, first, "1") == ["send(1)", "send(2)"])
        let third = Self.request(&machine)
        _ = machine.releaseAtOnce(third, kind: .complete)
        #expect(machine.releaseAtOnce(third, kind: .complete) == nil, "an answer leaves once")
    }

    /// The glue performs no actions after an answer released at once that keeps the connection.
    @Test func aStreamReleasedAtOnceLeavesNothingDue() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine)
        #expect(machine.releaseAtOnce(id, kind: .stream) == true)
        #expect(Self.actions(&machine).isEmpty)
        #expect(machine.phase == .streaming)
    }

    @Test func theLastOfSeveralPipelinedRequestsCanStillBeAnsweredAtOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        #expect(Self.ready(&machine, first, "1") == ["send(1)"])
        #expect(machine.releaseAtOnce(second, kind: .complete) == true, "now nothing is ahead of it")
        #expect(machine.inFlight == 0)
        let third = Self.request(&machine)
        #expect(Self.ready(&machine, third, "3") == ["send(3)"], "an answer that was not at once still leaves")
    }

    @Test func inFlightRequestsAreBounded() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        var ids: [Machine.RequestID] = []
        while machine.acceptsRequests { ids.append(Self.request(&machine)) }
        #expect(ids.count == Machine.maxInFlight)
        _ = Self.ready(&machine, ids[0], "first")
        #expect(machine.acceptsRequests)
    }

    @Test func aFailedRequestIsAnsweredAfterThePendingResponsesThenTheConnectionCloses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        #expect(Self.after(&machine) { $0.requestFailed("400") }.isEmpty, "the 400 must wait for the earlier response")
        #expect(machine.acceptsRequests == false)
        #expect(Self.ready(&machine, first, "200") == ["send(200)", "send(400, close)", "closeAfterFlush"])
    }

    @Test func theHeadTimeoutRunsFromTheFirstByteAndDoesNotRestart() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(machine.deadline == 10, "a connection that never speaks gets the head timeout")
        _ = Self.ready(&machine, Self.request(&machine, now: 5), "ok")
        #expect(machine.deadline == 65)
        machine.headStarted(now: 100)
        machine.headStarted(now: 105)  // more bytes of the same head
        #expect(machine.deadline == 110)
        #expect(Self.after(&machine) { $0.timerFired(now: 109, timeoutResponse: "408") }.isEmpty)
        #expect(
            Self.after(&machine) { $0.timerFired(now: 110, timeoutResponse: "408") } == [
                "send(408, close)", "closeAfterFlush",
            ])
    }

    @Test func theBodyTimeoutIsATotalThatProgressDoesNotRestart() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: false, now: 0)
        #expect(Self.actions(&machine).isEmpty)
        #expect(machine.deadline == 30)
        machine.bodyProgressed(1)
        #expect(machine.deadline == 30)
        #expect(
            Self.after(&machine) { $0.timerFired(now: 30, timeoutResponse: "408") } == [
                "send(408, close)", "closeAfterFlush",
            ])
    }

    @Test func aBodyBelowTheRateFloorAfterTheGraceEndsIn408() {
        let timeouts = Machine.Timeouts(
            head: 10, body: 60_000, idle: 60, write: 20, drain: 5, minBodyRate: 1_000, bodyGrace: 2_000)
        var machine = Machine(timeouts: timeouts, now: 0)
        _ = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: false, now: 0)
        #expect(machine.deadline == 2_000, "nothing received: the floor applies as the grace ends")
        machine.bodyProgressed(3_000)
        #expect(machine.deadline == 5_000, "3,000 bytes at 1,000 B/s cover 3 s past the grace")
        machine.bodyProgressed(100_000)
        #expect(machine.deadline == 60_000, "the total deadline still bounds a fast body")
        _ = Self.after(&machine) { $0.timerFired(now: 59_999, timeoutResponse: "408") }
        #expect(machine.phase == .readingBody)
    }

    @Test func expectContinueIsAnsweredWhenTheHeadPassed() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: true, now: 0)
        #expect(Self.actions(&machine) == ["continue"])
    }

    @Test func anIdleConnectionClosesAfterTheIdleTimeoutButNotWhileItsResponseIsPending() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine, now: 0)
        #expect(
            Self.after(&machine) { $0.timerFired(now: 60, timeoutResponse: "408") }.isEmpty,
            "waiting for a commit is not idling")
        #expect(machine.deadline == 120)
        _ = Self.ready(&machine, id, "late")
        #expect(Self.after(&machine) { $0.timerFired(now: 120, timeoutResponse: "408") } == ["close"])
    }

    @Test func outputThatDoesNotMoveWithinTheWriteTimeoutClosesTheConnection() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = Self.ready(&machine, Self.request(&machine), "big")
        machine.outputQueued(now: 1)
        machine.outputQueued(now: 15)  // still the first stall
        #expect(machine.deadline == 21)
        machine.outputProgressed(remaining: 10, now: 18)
        #expect(machine.deadline == 38)
        var drained = machine
        drained.outputProgressed(remaining: 0, now: 18)
        #expect(drained.deadline == 60, "back to the idle deadline once the output is gone")
        #expect(Self.after(&machine) { $0.timerFired(now: 38, timeoutResponse: "408") } == ["close"])
        #expect(machine.phase == .closed)
        #expect(Self.ready(&machine, Self.request(&machine), "late").isEmpty, "nothing follows a close")
    }

    @Test func aClientThatNeverReadsItsLastResponseIsClosedByTheWriteTimeout() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(
            Self.ready(&machine, Self.request(&machine, keepAlive: false), "big") == [
                "send(big, close)", "closeAfterFlush",
            ])
        machine.outputQueued(now: 1)
        #expect(machine.deadline == 21, "a graceful close still waits for the client to read")
        #expect(Self.after(&machine) { $0.timerFired(now: 21, timeoutResponse: "408") } == ["close"])
    }

    @Test func aCloseDelimitedResponseEndsAKeepAliveConnection() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        #expect(Self.ready(&machine, second, "2").isEmpty)
        #expect(
            Self.ready(&machine, first, "1", kind: .last) == ["send(1, close)", "closeAfterFlush"],
            "the request pipelined behind it is not served")
    }

    @Test func aContinueIsNotSentOnceTheBodyHasArrived() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: true, now: 0)
        machine.requestEnded(now: 0)
        #expect(Self.actions(&machine).isEmpty)
    }

    @Test func aDeferredResponseStillLeavesBeforeAFramingError() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        machine.headStarted(now: 1)
        #expect(
            Self.after(&machine) { $0.timerFired(now: 11, timeoutResponse: "408") }.isEmpty,
            "the 408 waits for the answer in flight")
        #expect(Self.ready(&machine, first, "200") == ["send(200)", "send(408, close)", "closeAfterFlush"])
    }

    @Test func aStreamTakesTheConnectionAndItsEndGetsTheDrainWindow() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let stream = Self.request(&machine)
        let behind = Self.request(&machine)
        _ = Self.ready(&machine, behind, "ignored")
        #expect(Self.ready(&machine, stream, "events", kind: .stream) == ["send(events)"])
        #expect(machine.phase == .streaming)
        #expect(machine.acceptsRequests == false)
        #expect(machine.deadline == .max, "a live stream has no input deadline")
        #expect(Self.after(&machine) { $0.streamEnded(now: 1_000) } == ["closeAfterFlush"])
        #expect(machine.deadline == 1_005, "the last frames get the drain window")
        #expect(Self.after(&machine) { $0.timerFired(now: 1_005, timeoutResponse: "408") } == ["close"])
    }

    @Test func shutdownClosesAnIdleConnectionAtOnce() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = Self.ready(&machine, Self.request(&machine), "ok")
        #expect(Self.after(&machine) { $0.shutdownBegan() } == ["close"])
    }

    @Test func shutdownLetsPendingResponsesLeaveAndTheLastOneCloses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let first = Self.request(&machine)
        let second = Self.request(&machine)
        #expect(Self.after(&machine) { $0.shutdownBegan() }.isEmpty)
        #expect(machine.acceptsRequests == false)
        #expect(Self.ready(&machine, first, "1") == ["send(1)"])
        #expect(Self.ready(&machine, second, "2") == ["send(2, close)", "closeAfterFlush"])
    }

    @Test func shutdownFinishesTheRequestBeingReadAndAnswersItWithClose() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = machine.headReceived(keepAlive: true, hasBody: true, expectsContinue: false, now: 0)
        #expect(Self.after(&machine) { $0.shutdownBegan() }.isEmpty)
        machine.requestEnded(now: 1)
        #expect(Self.ready(&machine, id, "done") == ["send(done, close)", "closeAfterFlush"])
    }

    @Test func aPeerThatClosesItsSideStillGetsItsPendingResponses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        let id = Self.request(&machine)
        #expect(Self.after(&machine) { $0.peerEnded() }.isEmpty)
        #expect(Self.ready(&machine, id, "ok") == ["send(ok, close)", "closeAfterFlush"])
        var quiet = Machine(timeouts: Self.timeouts, now: 0)
        #expect(Self.after(&quiet) { $0.peerEnded() } == ["closeAfterFlush"])
    }
}
