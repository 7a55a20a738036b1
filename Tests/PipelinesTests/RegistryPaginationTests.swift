import Testing

@testable import Pipelines

struct RegistryPaginationTests {
    let registry = PipelineRegistry(executor: ThreadExecutor.shared)

    private func create(_ count: Int) async -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let document = PipelineDocument.named("p\(index)")
            ids.append(await registry.create(document).value.id.description)
        }
        return ids
    }

    private func names(_ page: PipelinePage) -> [String] {
        page.entries.compactMap(\.name)
    }

    @Test func pagesFollowCreationOrderAndEndWithANullCursor() async throws {
        _ = await create(7)
        let first = try await registry.list(limit: 3)
        #expect(names(first) == ["p0", "p1", "p2"])
        let second = try await registry.list(limit: 3, cursor: first.nextCursor)
        #expect(names(second) == ["p3", "p4", "p5"])
        let third = try await registry.list(limit: 3, cursor: second.nextCursor)
        #expect(names(third) == ["p6"])
        #expect(third.nextCursor == nil)
    }

    @Test func anExactlyFullLastPageHasNoNextCursor() async throws {
        _ = await create(6)
        let second = try await registry.list(limit: 3, cursor: try await registry.list(limit: 3).nextCursor)
        #expect(names(second) == ["p3", "p4", "p5"])
        #expect(second.nextCursor == nil)
    }

    @Test func defaultPageSizeIs100() async throws {
        _ = await create(101)
        let page = try await registry.list()
        #expect(page.entries.count == 100)
        #expect(page.nextCursor != nil)
    }

    @Test func deletesBetweenPagesNeitherSkipNorRepeat() async throws {
        let ids = await create(7)
        let first = try await registry.list(limit: 3)
        _ = try await registry.delete(id: ids[2], now: Timestamp(milliseconds: 0))  // the cursor's own pipeline
        _ = try await registry.delete(id: ids[3], now: Timestamp(milliseconds: 0))
        let second = try await registry.list(limit: 3, cursor: first.nextCursor)
        #expect(names(second) == ["p4", "p5", "p6"])
        #expect(second.nextCursor == nil)
    }

    @Test func cursorsSurviveCompactionAfterManyDeletes() async throws {
        let ids = await create(3000)
        let early = try await registry.list(limit: 10)
        for id in ids[5..<2600] { _ = try await registry.delete(id: id, now: Timestamp(milliseconds: 0)) }
        let next = try await registry.list(limit: 500, cursor: early.nextCursor)
        #expect(names(next) == (2600..<3000).map { "p\($0)" })
        #expect(next.nextCursor == nil)
    }

    @Test func trailingDeletesMakeTheLastPageEndEarly() async throws {
        let ids = await create(4)
        _ = try await registry.delete(id: ids[3], now: Timestamp(milliseconds: 0))
        let page = try await registry.list(limit: 3)
        #expect(page.nextCursor == nil)
    }

    @Test(arguments: [
        "", "c", "x0000000000000001", "c000000000000000g", "c+000000000000001", "c00000000000000001", "1",
    ])
    func invalidCursorsAreRejected(cursor: String) async {
        await #expect(throws: RegistryError.invalidCursor) { try await registry.list(cursor: cursor) }
    }

    @Test func limitOutsideOneTo500IsRejected() async throws {
        await #expect(throws: RegistryError.invalidLimit) { try await registry.list(limit: 0) }
        await #expect(throws: RegistryError.invalidLimit) { try await registry.list(limit: 501) }
        #expect(try await registry.list(limit: 500).entries.isEmpty)
    }

    @Test func pageBodyEmbedsTheStoredDocuments() async throws {
        let ids = await create(2)
        let page = try await registry.list(limit: 1)
        let text = String(decoding: page.encoded(), as: UTF8.self)
        let expected =
            #"{"pipelines":[{"name":"p0","git_repository":"git@host:repo","stages":[],"parallel":false,"id":""#
            + ids[0] + #""}],"next_cursor":""# + page.nextCursor! + #""}"#
        #expect(text == expected)
        let last = try await registry.list(limit: 1, cursor: page.nextCursor)
        #expect(String(decoding: last.encoded(), as: UTF8.self).hasSuffix(#"],"next_cursor":null}"#))
    }
}
