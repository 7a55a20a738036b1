/// A validated pipeline configuration, held in its canonical wire form: what `POST` and `PUT
/// /v1/pipelines` accept and `GET` returns. Only `decode(_:)` makes one, so every instance
/// satisfies the rules of API.md.
///
/// Why bytes and not a typed model: the service stores documents and hands them back, and the
/// only fields it acts on are each stage's name, type and timeout (what a run needs). Keeping
/// the canonical JSON lets a write be validated and encoded in one pass over the request body,
/// and a read copy bytes; a model of every field would be built on each write only to be
/// encoded again and thrown away.
package struct PipelineDocument: Sendable, Equatable {
    /// Timeout of a stage that names none, in seconds.
    package static let defaultTimeout = 600
    /// Accepted stage timeouts in seconds (one second to 30 days).
    package static let timeoutRange = 1...2_592_000
    /// Namespace of a `Deploy` cluster that names none (absent, `null` or `""`).
    package static let defaultNamespace = "default"

    /// The canonical encoding up to its last member, `{"name":…,"parallel":false`, without
    /// `id` and the closing brace: key order `name, git_repository, stages, parallel`, defaults
    /// filled in, no insignificant whitespace, `k8s_manifest` with its members and number
    /// literals as sent.
    let canonicalMembers: [UInt8]
    /// Each stage's name, type and timeout, in order: what a trigger snapshots.
    package let runStages: [RunPlan.Stage]
    /// Whether all stages start at once instead of one after another.
    package let parallel: Bool

    /// Parses and validates a request body. Top-level `id` is ignored so a GET body can be PUT back.
    package static func decode(_ bytes: [UInt8]) -> Result<PipelineDocument, DocumentError> {
        let tape: JSONTape
        do {
            tape = try JSONReader.tape(bytes)
        } catch {
            return .failure(.malformed(offset: error.offset, reason: error.reason))
        }
        var validator = DocumentValidator(tape: tape)
        guard let document = validator.document() else {
            return .failure(.invalid(validator.errors))
        }
        return .success(document)
    }

    /// The GET body of this document stored under `id`, in a buffer of about its size (stored
    /// bodies are most of the registry's memory, so no slack is kept).
    package func encoded(id: String) -> [UInt8] {
        var writer = JSONWriter(capacity: canonicalMembers.count + id.utf8.count + Self.idMemberOverhead)
        writer.raw(canonicalMembers)  // an open object: the next key gets its comma
        writer.key("id")
        writer.string(id)
        writer.endObject()
        return writer.bytes
    }

    /// `encoded(id:)` for an id the registry issued: its digits go straight into the body, with
    /// no `String` made for them.
    package func encoded(id: PipelineID) -> [UInt8] {
        var writer = JSONWriter(capacity: canonicalMembers.count + 36 + Self.idMemberOverhead)
        writer.raw(canonicalMembers)
        writer.key("id")
        writer.string(id)
        writer.endObject()
        return writer.bytes
    }

    /// The bytes `,"id":""}` add around the id's text.
    private static let idMemberOverhead = #","id":""}"#.utf8.count
}
