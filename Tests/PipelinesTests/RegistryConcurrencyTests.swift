import Foundation
import Testing
@testable import Pipelines

/// A serial executor on one dedicated thread, standing in for the libuv loop in tests: the
/// registry's jobs run there, and `run(_:)` executes a closure there the way a request handler
/// runs on the loop, so tests can exercise the `assumeIsolated` path.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: `queue` is only touched with `condition` locked; `thread` is set once in init.
    static let shared = ThreadExecutor()

    private enum Work { case job(UnownedJob), closure(@Sendable () -> Void) }
    private let condition = NSCondition()
    private var queue: [Work] = []
    private var thread: Thread?

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        self.thread = thread
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        push(.job(UnownedJob(job)))
    }

    /// Runs `body` on the executor's thread and waits for its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            push(.closure { continuation.resume(returning: body()) })
        }
    }

    func checkIsolated() {
        precondition(Thread.current == thread, "not on the test executor's thread")
    }

    func isIsolatingCurrentContext() -> Bool? {
        Thread.current == thread
    }

    private func push(_ work: Work) {
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let batch = queue
            queue.removeAll()
            condition.unlock()
            for work in batch {
                switch work {
                case .job(let job): job.runSynchronously(on: asUnownedSerialExecutor())
                case .closure(let body): body()
                }
            }
        }
    }
}

struct RegistryConcurrencyTests {
    let registry = PipelineRegistry(executor: ThreadExecutor.shared)

    private func document(_ name: String) -> PipelineDocument {
        PipelineDocument.named(name)
    }

    @Test func codeOnTheExecutorThreadEntersWithoutAHop() async {
        let registry = registry
        let name = await ThreadExecutor.shared.run {
            registry.assumeIsolated { registry in
                let created = registry.create(PipelineDocument.named("loop"))
                return registry.entry(id: created.id.description)?.name
            }
        }
        #expect(name == "loop")
    }

    /// nil when the operation succeeded.
    private static func failure(_ body: () async throws(RegistryError) -> Void) async -> RegistryError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test func racingUpdatesAndDeletesNeverResurrectAPipeline() async throws {
        var ids: [String] = []
        for index in 0..<200 { ids.append(await registry.create(document("p\(index)")).id.description) }
        let registry = registry
        let replacement = document("updated")
        let outcomes = await withTaskGroup(of: (isDelete: Bool, failure: RegistryError?).self) { group in
            for id in ids {
                // Two updates race one delete of the same pipeline.
                let update: @Sendable () async -> (isDelete: Bool, failure: RegistryError?) = {
                    (false, await Self.failure { () throws(RegistryError) in _ = try await registry.update(id: id, with: replacement) })
                }
                group.addTask(operation: update)
                group.addTask { (true, await Self.failure { () throws(RegistryError) in try await registry.delete(id: id) }) }
                group.addTask(operation: update)
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 600)
        #expect(outcomes.filter(\.isDelete).allSatisfy { $0.failure == nil })
        // Each update either happened before the delete or found nothing.
        #expect(outcomes.filter { !$0.isDelete }.allSatisfy { $0.failure == nil || $0.failure == .notFound })
        for id in ids { #expect(await registry.entry(id: id) == nil) }
        #expect(try await registry.list(limit: 500).entries.isEmpty)
        #expect(await registry.count == 0)
    }

    @Test func concurrentConditionalUpdatesWithTheSameETagLetExactlyOneWin() async {
        let created = await registry.create(document("contended"))
        let registry = registry
        let id = created.id.description
        let etag = created.etag
        let failures = await withTaskGroup(of: RegistryError?.self) { group in
            for index in 0..<50 {
                let next = document("w\(index)")
                group.addTask { await Self.failure { () throws(RegistryError) in _ = try await registry.update(id: id, with: next, ifMatch: etag) } }
            }
            return await group.reduce(into: [RegistryError?]()) { $0.append($1) }
        }
        let winnerETag = await registry.entry(id: id)!.etag
        #expect(failures.filter { $0 == nil }.count == 1)
        #expect(failures.filter { $0 == .preconditionFailed(currentETag: winnerETag) }.count == 49)
    }
}
