import Testing

@testable import Pipelines

/// A list page ends before the item that would take it past its byte budget, with a cursor to
/// the rest, and always holds at least one item.
struct PageByteBudgetTests {
    let registry = PipelineRegistry(executor: ThreadExecutor.shared)

    private func create(_ count: Int) async {
        for index in 0..<count { _ = await registry.create(PipelineDocument.named("p\(index)")) }
    }

    @Test func aPageStopsBeforeTheItemThatWouldPassTheBudget() async throws {
        await create(5)
        let size = try await registry.list(limit: 1).entries[0].body.count
        let first = try await registry.list(limit: 100, byteBudget: 2 * size + size / 2)
        #expect(first.entries.compactMap(\.name) == ["p0", "p1"])
        let second = try await registry.list(limit: 100, cursor: first.nextCursor, byteBudget: 2 * size + size / 2)
        #expect(second.entries.compactMap(\.name) == ["p2", "p3"])
        let last = try await registry.list(limit: 100, cursor: second.nextCursor, byteBudget: 2 * size + size / 2)
        #expect(last.entries.compactMap(\.name) == ["p4"])
        #expect(last.nextCursor == nil)
    }

    @Test func anItemBiggerThanTheBudgetStillGetsAPageOfItsOwn() async throws {
        await create(2)
        let first = try await registry.list(limit: 100, byteBudget: 1)
        #expect(first.entries.compactMap(\.name) == ["p0"])
        let second = try await registry.list(limit: 100, cursor: first.nextCursor, byteBudget: 1)
        #expect(second.entries.compactMap(\.name) == ["p1"])
        #expect(second.nextCursor == nil)
    }

    @Test func runPagesKeepTheirBudgetToo() async throws {
        let id = await registry.create(PipelineDocument.named("p")).value.id.description
        var runIDs: [String] = []
        for second in 0..<5 {
            runIDs.append(
                try await registry.trigger(pipelineID: id, now: Timestamp(milliseconds: Int64(second) * 1000)).value.id
                    .description)
        }
        let size = try await registry.runs(pipelineID: id, limit: 1, cursor: nil).bodies[0].count
        var seen: [[UInt8]] = []
        var cursor: String?
        repeat {
            let page = try await registry.runs(pipelineID: id, limit: 100, cursor: cursor, byteBudget: 2 * size + 10)
            #expect(page.bodies.count <= 2 && !page.bodies.isEmpty)
            seen += page.bodies
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 5)
    }

    @Test func aRunsCursorThatNamesNoKeptRunIsRefused() async throws {
        let id = await registry.create(PipelineDocument.named("p")).value.id.description
        let other = await registry.create(PipelineDocument.named("q")).value.id.description
        let otherRun = try await registry.trigger(pipelineID: other, now: Timestamp(milliseconds: 0)).value.id
            .description
        for cursor in ["unknown-run", otherRun, "00000000-0000-4000-8000-000000000000"] {
            await #expect(throws: PipelineRegistry.RunRequestError.invalidCursor) {
                try await registry.runs(pipelineID: id, limit: 10, cursor: cursor)
            }
        }
    }
}
