import CLibUV
import Foundation
import Testing

@testable import UVLoop

/// What the loop promises about handles and hand-over when something ends early: work handed to
/// a loop that shut down is dropped (and released) without touching its closed wake-up handle,
/// and a handle whose initialisation fails is freed at once.
struct HandleLifetimeTests {
    final class Witness: Sendable {}

    @Test func workHandedToALoopThatShutDownIsDroppedAndReleased() throws {
        let harness = try LoopHarness { loop in loop.shutDownWakeup() }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)  // the loop is closed and its wake-up handle freed
        let ran = Box(false)
        weak var released: Witness?
        do {
            let witness = Witness()
            released = witness
            harness.loop.execute { [witness] in
                _ = witness
                ran.value = true
            }
        }
        #expect(released == nil, "the dropped work was kept")
        #expect(ran.value == false)
    }

    @Test func workWaitingWhenTheLoopShutsDownIsDroppedUnrun() throws {
        let ran = Box(false)
        let harness = try LoopHarness { loop in
            loop.execute { ran.value = true }  // queued while the inbox is being drained
            loop.shutDownWakeup()
        }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
        #expect(ran.value == false)
    }

    @Test func aHandleWhoseInitialisationFailsIsFreedAndReported() throws {
        let harness = try LoopHarness { loop in
            defer { loop.shutDownWakeup() }
            #expect(throws: UVError(code: -22, operation: "uv_timer_init")) {
                _ = try HandleStorage<uv_timer_t>(loop: loop, "uv_timer_init") { _, _ in -22 }
            }
        }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
    }
}
