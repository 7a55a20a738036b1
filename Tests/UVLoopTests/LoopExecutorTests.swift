import Foundation
import Testing

@testable import UVLoop

/// An actor pinned to a libuv loop, as the pipeline registry is in the server.
actor Counter {
    let executor: LoopExecutor
    var count = 0
    init(executor: LoopExecutor) { self.executor = executor }
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    func increment() -> (Int, Bool) {
        count += 1
        return (count, executor.isIsolatingCurrentContext() == true)
    }
}

struct LoopExecutorTests {
    @Test func actorJobsRunOnTheLoopThreadAndCodeOnTheLoopEntersWithoutHopping() async throws {
        let harness = try LoopHarness { _ in }
        let executor = LoopExecutor(loop: harness.loop)
        let counter = Counter(executor: executor)
        var results: [(Int, Bool)] = []
        for _ in 0..<100 { results.append(await counter.increment()) }
        #expect(results.map(\.0) == Array(1...100))
        #expect(results.allSatisfy { $0.1 })
        #expect(try harness.run { counter.assumeIsolated { $0.count } } == 100)
        harness.loop.execute { harness.loop.shutDownWakeup() }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
    }

    @Test func concurrentCallersAreSerialised() async throws {
        let harness = try LoopHarness { _ in }
        let counter = Counter(executor: LoopExecutor(loop: harness.loop))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<250 { _ = await counter.increment() } }
            }
        }
        #expect(await counter.count == 2000)
        harness.loop.execute { harness.loop.shutDownWakeup() }
        #expect(harness.waitUntilFinished() == true)
    }
}
