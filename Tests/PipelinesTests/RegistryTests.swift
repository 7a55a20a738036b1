import Testing

@testable import Pipelines

struct RegistryTests {
    let registry = PipelineRegistry(executor: ThreadExecutor.shared)
    let sample = try! PipelineDocument.decode(Array(DocumentSample.text.utf8)).get()

    private func document(_ name: String) -> PipelineDocument {
        PipelineDocument.named(name)
    }

    @Test func createdPipelineIsReturnedWithItsIDInTheBody() async throws {
        let created = await registry.create(sample).value
        let id = created.id.description
        let fetched = try #require(await registry.entry(id: id))
        #expect(fetched.body == sample.encoded(id: id))
        #expect(fetched.etag == created.etag)
        let parsed = try JSONReader.parse(fetched.body)
        #expect(parsed.objectMembers?.last?.value == .string(id))
    }

    @Test func idsAreLowercaseVersion4UUIDs() async {
        var seen: Set<String> = []
        for _ in 0..<100 {
            let id = await registry.create(document("x")).value.id.description
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(PipelineID(id)?.description == id)
            seen.insert(id)
        }
        #expect(seen.count == 100)
    }

    @Test func unknownAndNonCanonicalIDsAreNotFound() async {
        let id = await registry.create(document("x")).value.id.description
        #expect(await registry.entry(id: id.uppercased()) == nil)
        #expect(await registry.entry(id: "a0305992-931e-4dc0-aa2b-893116f6542e") == nil)
        #expect(await registry.entry(id: "not-a-uuid") == nil)
        #expect(await registry.entry(id: "{" + id + "}") == nil)
    }

    @Test func updateReplacesTheDocumentAndItsETagMatchesTheNextGet() async throws {
        let created = await registry.create(sample).value
        let id = created.id.description
        let updated = try await registry.update(id: id, with: document("renamed")).value
        #expect(updated.etag != created.etag)
        let fetched = try #require(await registry.entry(id: id))
        #expect(fetched.etag == updated.etag)
        #expect(fetched.body == document("renamed").encoded(id: id))
        #expect(fetched.sequence == created.sequence)
    }

    @Test func staleIfMatchIsRejectedAndNothingIsWritten() async throws {
        let created = await registry.create(document("v1")).value
        let id = created.id.description
        let second = try await registry.update(id: id, with: document("v2"), ifMatch: created.etag).value
        await #expect(throws: RegistryError.preconditionFailed(currentETag: second.etag)) {
            try await registry.update(id: id, with: document("v3"), ifMatch: created.etag).value
        }
        await #expect(throws: RegistryError.preconditionFailed(currentETag: second.etag)) {
            try await registry.delete(id: id, ifMatch: created.etag, now: Timestamp(milliseconds: 0)).value
        }
        #expect(await registry.entry(id: id)?.name == "v2")
    }

    @Test func ifMatchAcceptsStarListsAndRejectsWeakTags() async throws {
        let created = await registry.create(document("v1")).value
        let id = created.id.description
        let afterStar = try await registry.update(id: id, with: document("v2"), ifMatch: "*").value
        let afterList = try await registry.update(
            id: id, with: document("v3"), ifMatch: #""nope", \#(afterStar.etag) "#
        ).value
        await #expect(throws: RegistryError.preconditionFailed(currentETag: afterList.etag)) {
            try await registry.update(id: id, with: document("v4"), ifMatch: "W/" + afterList.etag).value
        }
        #expect(EntityTag.ifNoneMatch("W/" + afterList.etag, matches: afterList.etag))
        #expect(!EntityTag.ifNoneMatch(created.etag, matches: afterList.etag))
    }

    @Test func updateOfAMissingPipelineIsNotFoundAndCreatesNothing() async throws {
        let id = "a0305992-931e-4dc0-aa2b-893116f6542e"
        await #expect(throws: RegistryError.notFound) { try await registry.update(id: id, with: document("x")).value }
        await #expect(throws: RegistryError.notFound) {
            try await registry.update(id: id, with: document("x"), ifMatch: "*").value
        }
        #expect(await registry.count == 0)
    }

    @Test func deleteRemovesThePipelineOnce() async throws {
        let created = await registry.create(document("x")).value
        let id = created.id.description
        let removed = try await registry.delete(id: id, ifMatch: created.etag, now: Timestamp(milliseconds: 0)).value
        #expect(removed.id == created.id)
        #expect(await registry.entry(id: id) == nil)
        await #expect(throws: RegistryError.notFound) {
            try await registry.delete(id: id, now: Timestamp(milliseconds: 0)).value
        }
        await #expect(throws: RegistryError.notFound) { try await registry.update(id: id, with: document("y")).value }
        #expect(await registry.entry(id: id) == nil)
    }

    @Test func etagsAreStrongQuotedAndDistinctPerWrite() async throws {
        let first = await registry.create(document("a")).value
        let second = await registry.create(document("b")).value
        #expect(first.etag.hasPrefix("\"") && first.etag.hasSuffix("\"") && !first.etag.hasPrefix("W/"))
        #expect(first.etag != second.etag)
        #expect(EntityTag.forVersion(0) == #""0""#)
        #expect(EntityTag.forVersion(255) == #""ff""#)
        #expect(EntityTag.forVersion(0x1_0000_0000) == #""100000000""#)
        #expect(EntityTag.forVersion(.max) == #""ffffffffffffffff""#, "the longest tag, 18 bytes")
    }
}
