import Foundation
import Testing

@testable import UVLoop

/// The harness never hangs a test: a failing setup reaches the test instead of a wait forever.
struct LoopHarnessTests {
    struct SetupFailed: Error, Equatable {}

    @Test func aSetupErrorReachesTheTest() throws {
        #expect(throws: SetupFailed()) {
            try LoopHarness { _ in throw SetupFailed() }
        }
    }

    @Test func workOnTheLoopHandsBackItsResult() throws {
        let harness = try LoopHarness { _ in }
        #expect(try harness.run { 6 * 7 } == 42)
        try harness.run { harness.loop.shutDownWakeup() }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
    }
}
