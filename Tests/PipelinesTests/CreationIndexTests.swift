import Testing

@testable import Pipelines

struct CreationIndexTests {
    /// Every id in creation order, fetched `limit` at a time the way list cursors do.
    private func allPages(_ index: CreationIndex, limit: Int) -> [PipelineID] {
        var ids: [PipelineID] = []
        var after: UInt64?
        while true {
            let page = index.page(after: after, limit: limit)
            ids += page.ids
            // A cursor that does not move forward ends the walk (and fails the test) rather than
            // looping forever.
            guard page.hasMore, let last = page.sequenceOfLast, last > after ?? 0 else { return ids }
            after = last
        }
    }

    private func id(_ number: Int) -> PipelineID {
        PipelineID(high: 0x4000, low: UInt64(number))
    }

    @Test func orderAndCursorsHoldAcrossChunksAndCompaction() {
        var index = CreationIndex()
        for number in 1...10_000 { index.append(id(number), sequence: UInt64(number)) }
        #expect(allPages(index, limit: 500) == (1...10_000).map(id))

        // Deleting more than half compacts the entries; cursors are sequences, so still valid.
        let cursorPage = index.page(after: 7_000, limit: 3)
        for number in 1...6_000 { index.remove(sequence: UInt64(number)) }
        #expect(index.count < 10_000)
        #expect(allPages(index, limit: 333) == (6_001...10_000).map(id))
        #expect(index.page(after: 7_000, limit: 3).ids == cursorPage.ids)

        index.append(id(10_001), sequence: 10_001)
        #expect(allPages(index, limit: 500).last == id(10_001))
    }
}
