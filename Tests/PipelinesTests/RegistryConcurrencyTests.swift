import Foundation
import Testing

@testable import Pipelines

/// A serial executor on one dedicated thread, standing in for the libuv loop in tests: the
/// registry's jobs run there, and `run(_:)` executes a closure there the way a request handler
/// runs on the loop, so tests can exercise the `assumeIsolated` path.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: `queue` is only touched with `condition` locked; `thread` is set once in init.
    static let shared = ThreadExecutor()

    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }
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
                let created = registry.create(PipelineDocument.named("loop")).value
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

    /// What one racing operation did: the version it wrote (an update) or removed (a delete),
    /// or how it failed.
    private struct Outcome: Sendable {
        let id: String
        let isDelete: Bool
        let result: Result<UInt64, RegistryError>
    }

    private static func outcome(_ id: String, isDelete: Bool, _ body: () async throws(RegistryError) -> PipelineEntry)
        async -> Outcome
    {
        do {
            return Outcome(id: id, isDelete: isDelete, result: .success(try await body().version))
        } catch {
            return Outcome(id: id, isDelete: isDelete, result: .failure(error))
        }
    }

    @Test func racingUpdatesAndDeletesNeverResurrectAPipeline() async throws {
        var created: [String: UInt64] = [:]
        for index in 0..<200 {
            let entry = await registry.create(document("p\(index)")).value
            created[entry.id.description] = entry.version
        }
        let registry = registry
        let replacement = document("updated")
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for id in created.keys {
                // Two updates race one delete of the same pipeline.
                let update: @Sendable () async -> Outcome = {
                    await Self.outcome(id, isDelete: false) { () throws(RegistryError) in
                        try await registry.update(id: id, with: replacement).value
                    }
                }
                group.addTask(operation: update)
                group.addTask {
                    await Self.outcome(id, isDelete: true) { () throws(RegistryError) in
                        try await registry.delete(id: id, now: Timestamp(milliseconds: 0)).value
                    }
                }
                group.addTask(operation: update)
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // Each delete succeeded and removed exactly the newest version written: every update that
        // succeeded came before it, none wrote after it.
        for (id, createdVersion) in created {
            let mine = outcomes.filter { $0.id == id }
            let removed = mine.filter(\.isDelete).compactMap { try? $0.result.get() }
            let written = mine.filter { !$0.isDelete }.compactMap { try? $0.result.get() }
            #expect(removed == [written.max() ?? createdVersion], "\(id)")
        }
        for id in created.keys { #expect(await registry.entry(id: id) == nil) }
        #expect(try await registry.list(limit: 500).entries.isEmpty)
        #expect(await registry.count == 0)
    }

    @Test func concurrentConditionalUpdatesWithTheSameETagLetExactlyOneWin() async {
        let created = await registry.create(document("contended")).value
        let registry = registry
        let id = created.id.description
        let etag = created.etag
        let failures = await withTaskGroup(of: RegistryError?.self) { group in
            for index in 0..<50 {
                let next = document("w\(index)")
                group.addTask {
                    await Self.failure { () throws(RegistryError) in
                        _ = try await registry.update(id: id, with: next, ifMatch: etag).value
                    }
                }
            }
            return await group.reduce(into: [RegistryError?]()) { $0.append($1) }
        }
        let winnerETag = await registry.entry(id: id)!.etag
        #expect(failures.filter { $0 == nil }.count == 1)
        #expect(failures.filter { $0 == .preconditionFailed(currentETag: winnerETag) }.count == 49)
    }
}
