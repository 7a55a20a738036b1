import Testing

@testable import SQLiteStore

/// Every record kind survives a round trip through the file, and the writes mean what they say.
struct RecordTests {
    @Test func everyRecordKindRoundTrips() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }

        var batch = StoreBatch()
        batch.putPipeline(Sample.pipeline(1))
        batch.putPipeline(Sample.pipeline(2))
        batch.putRun(Sample.run(1, of: 1))
        batch.putRun(Sample.run(2, of: 1))
        batch.putRun(Sample.run(1, of: 2))
        batch.appendEvents((1...5).map { Sample.event($0, of: 1) })
        batch.setCounter("next_event", to: 6)
        batch.setCounter("next_sequence", to: 3)
        let outcome = try #require(await store.commit(batch))
        _ = try outcome.get()

        let snapshot = try store.load(recentEvents: 100)
        #expect(snapshot.pipelines == [Sample.pipeline(1), Sample.pipeline(2)])
        #expect(
            snapshot.runs == [Sample.run(1, of: 1), Sample.run(2, of: 1), Sample.run(1, of: 2)])
        #expect(snapshot.events == (1...5).map { Sample.event($0, of: 1) })
        #expect(snapshot.counters == ["next_event": 6, "next_sequence": 3])
    }

    @Test func emptyBodiesAndTextStayEmptyNotNull() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        let empty = StoredPipeline(id: "", sequence: 1, version: 0, body: [])
        var batch = StoreBatch()
        batch.putPipeline(empty)
        _ = try #require(await store.commit(batch)).get()
        #expect(try store.load(recentEvents: 0).pipelines == [empty])
    }

    @Test func updatingAPipelineKeepsItsSequenceAndRuns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        var create = StoreBatch()
        create.putPipeline(Sample.pipeline(7))
        create.putRun(Sample.run(1, of: 7))
        _ = try #require(await store.commit(create)).get()

        var update = StoreBatch()
        update.putPipeline(Sample.pipeline(7, version: 2))  // the same sequence: the same pipeline
        _ = try #require(await store.commit(update)).get()

        let snapshot = try store.load(recentEvents: 0)
        #expect(snapshot.pipelines == [Sample.pipeline(7, version: 2)])
        #expect(snapshot.runs == [Sample.run(1, of: 7)])
    }

    @Test func removingAPipelineAndItsRunsKeepsItsEvents() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        var create = StoreBatch()
        create.putPipeline(Sample.pipeline(1))
        create.putPipeline(Sample.pipeline(2))
        create.putRun(Sample.run(1, of: 1))
        create.putRun(Sample.run(1, of: 2))
        create.putRun(Sample.run(2, of: 2))
        create.appendEvents([Sample.event(1, of: 1)])
        _ = try #require(await store.commit(create)).get()

        var remove = StoreBatch()
        remove.removePipeline(sequence: 1)
        remove.removeRun(sequence: Sample.run(1, of: 1).sequence)
        remove.removeRun(sequence: Sample.run(2, of: 2).sequence)
        _ = try #require(await store.commit(remove)).get()

        let snapshot = try store.load(recentEvents: 10)
        #expect(snapshot.pipelines == [Sample.pipeline(2)])
        #expect(snapshot.runs == [Sample.run(1, of: 2)])
        #expect(snapshot.events == [Sample.event(1, of: 1)])
    }

    @Test func loadReturnsTheNewestEventsOldestFirstAndPruningDropsTheOldest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        var append = StoreBatch()
        append.appendEvents((1...20).map { Sample.event($0, of: 3) })
        _ = try #require(await store.commit(append)).get()
        #expect(try store.load(recentEvents: 4).events == (17...20).map { Sample.event($0, of: 3) })

        var prune = StoreBatch()
        prune.pruneEvents(through: 18)
        _ = try #require(await store.commit(prune)).get()
        #expect(try store.load(recentEvents: 100).events == (19...20).map { Sample.event($0, of: 3) })
    }

    @Test func aBatchTheSchemaRejectsFailsAloneInItsGroup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.child("data"), deliver: inline)
        defer { store.close() }
        var first = StoreBatch()
        first.appendEvents([Sample.event(1, of: 1)])
        var reused = StoreBatch()  // an event id used again, twice
        reused.putPipeline(Sample.pipeline(5))
        reused.appendEvents([Sample.event(1, of: 2)])
        var again = StoreBatch()
        again.putRun(Sample.run(1, of: 3))
        again.appendEvents([Sample.event(1, of: 3)])
        var last = StoreBatch()
        last.setCounter("after", to: 1)

        let outcomes = Recorder<Result<CommitTicket, StoreError>>()
        for batch in [first, reused, again, last] { store.submit(batch) { outcomes.record($0) } }
        let results = await outcomes.wait(for: 4)
        try #require(results.count == 4)
        #expect((try? results[0].get()) != nil)
        #expect(results[1].failure?.kind == .rejected)
        #expect(results[1].failure?.message.contains("UNIQUE constraint failed: events.seq") == true)
        #expect(results[2].failure?.kind == .rejected)
        #expect(results[2].failure?.message.contains("UNIQUE constraint failed: events.seq") == true)
        #expect((try? results[3].get()) != nil)

        let snapshot = try store.load(recentEvents: 10)
        #expect(snapshot.pipelines.isEmpty)  // the rejected batches' first writes were undone too
        #expect(snapshot.runs.isEmpty)
        #expect(snapshot.events == [Sample.event(1, of: 1)])
        #expect(snapshot.counters == ["after": 1])
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
