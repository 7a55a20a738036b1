import Testing

@testable import Pipelines

/// Ids as text: only the canonical lower-case form we issue reads back as an id; every other
/// spelling is no id at all, so a lookup with it finds nothing.
struct IdentifierTests {
    private let canonical = "a0305992-931e-4dc0-aa2b-893116f6542e"

    @Test func canonicalTextReadsBackAsTheSameID() throws {
        let id = try #require(RunID(canonical))
        #expect(id.description == canonical)
        var generator = ChaChaRandom()
        for _ in 0..<100 {
            let fresh = RunID.random(using: &generator)
            #expect(RunID(fresh.description) == fresh)
        }
    }

    @Test(arguments: [
        "A0305992-931E-4DC0-AA2B-893116F6542E",  // upper case
        "a0305992-931e-4dc0-aa2b-893116f6542",  // one digit short
        "a0305992-931e-4dc0-aa2b-893116f6542e0",  // one digit long
        "a0305992931e-4dc0-aa2b-893116f6542e-",  // a hyphen moved
        "a0305992-931e-4dc0-aa2b_893116f6542e",  // another separator
        "g0305992-931e-4dc0-aa2b-893116f6542e",  // not a hex digit
        "{a0305992-931e-4dc0-aa2b-893116f6542e}",  // braces
        "", "nope",
    ])
    func otherSpellingsAreNoID(_ text: String) {
        #expect(RunID(text) == nil)
        #expect(PipelineID(text) == nil)
        #expect(PipelineID(utf8: Array(text.utf8).span) == nil)
    }

    @Test func bytesReadLikeText() {
        let path = Array("/v1/pipelines/\(canonical)".utf8)
        #expect(PipelineID(utf8: path.span.extracting(14..<path.count)) == PipelineID(canonical))
        #expect(PipelineID(utf8: path.span.extracting(13..<path.count)) == nil, "one byte too many")
    }

    @Test func randomIDsAreVersionFourVariantOne() {
        var generator = ChaChaRandom()
        let text = Array(RunID.random(using: &generator).description)
        #expect(text[14] == "4")
        #expect("89ab".contains(text[19]))
    }
}
