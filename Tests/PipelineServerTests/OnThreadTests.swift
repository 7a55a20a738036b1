import Foundation
import TestSupport
import Testing

/// `onThread` runs blocking work off the cooperative pool, yet its assertions count for the test
/// that called it.
struct OnThreadTests {
    @Test func aFailedExpectationInsideTheHelperFailsTheCallingTest() async throws {
        // withKnownIssue fails this test unless the issue is recorded here, in this test.
        await withKnownIssue {
            try await onThread { #expect(Bool(false), "recorded against the calling test") }
        }
    }

    @Test func aFailedRequirementInsideTheHelperFailsTheCallingTest() async throws {
        await withKnownIssue {
            _ = try await onThread {
                let missing: Int? = nil
                return try #require(missing)
            }
        }
    }

    @Test func theWorkRunsOnAThreadOfItsOwnAndHandsBackItsResult() async throws {
        let (onMain, result) = try await onThread { (Thread.current.isMainThread, 42) }
        #expect(!onMain)
        #expect(result == 42)
    }
}
