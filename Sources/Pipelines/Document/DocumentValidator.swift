/// Checks a parsed body against the rules of API.md and writes its canonical encoding in the
/// same walk, collecting every rule the body breaks so a client sees all problems in one 422.
///
/// One walk does both because API.md lists the fields in the order the encoding writes them
/// (`name, git_repository, stages, parallel`; in a stage `name, type, <type fields>, timeout`).
/// Once an error is recorded the output is meaningless and is dropped.
struct DocumentValidator {
    /// A value on the tape; an object when a field is looked up `of` it.
    typealias Node = JSONTape.Index

    static let nameLength = 1...200
    static let gitRepositoryLength = 0...2048
    static let maximumStages = 100
    static let topLevelFields: [JSONKey] = [Field.name, Field.gitRepository, Field.stages, Field.parallel, Field.id]

    /// The field names of API.md, packed for lookups.
    enum Field {
        static let name = JSONKey("name")
        static let gitRepository = JSONKey("git_repository")
        static let stages = JSONKey("stages")
        static let parallel = JSONKey("parallel")
        static let id = JSONKey("id")
        static let type = JSONKey("type")
        static let timeout = JSONKey("timeout")
        static let command = JSONKey("command")
        static let dockerfile = JSONKey("dockerfile")
        static let tag = JSONKey("tag")
        static let ecrRepository = JSONKey("ecr_repository")
        static let k8sManifest = JSONKey("k8s_manifest")
        static let cluster = JSONKey("cluster")
        static let serverURL = JSONKey("server_url")
        static let namespace = JSONKey("namespace")
    }

    let tape: JSONTape
    private(set) var errors: [FieldError] = []
    /// The canonical encoding written so far.
    var output: JSONWriter
    /// The run snapshot of each stage checked so far.
    var runStages: [RunPlan.Stage] = []

    init(tape: JSONTape) {
        self.tape = tape
        // The encoding is compact and only adds defaults, so it is rarely longer than the input.
        output = JSONWriter(capacity: tape.input.count + 64)
    }

    /// The document the tape's root value describes, or `nil` when at least one error was recorded.
    mutating func document() -> PipelineDocument? {
        let root: Node = 0
        guard tape.kind(at: root) == .object else {
            report("$", FieldMessage.document(foundType: tape.typeName(at: root)))
            return nil
        }
        output.beginObject()
        copyString(Field.name, of: root, at: "", length: Self.nameLength)
        copyString(Field.gitRepository, of: root, at: "", length: Self.gitRepositoryLength, rule: .gitRepository)
        copyStages(of: root)
        let parallel = copyParallel(of: root)
        reportUnknownFields(of: root, at: "", allowed: Self.topLevelFields)
        guard errors.isEmpty, let parallel else { return nil }
        return PipelineDocument(canonicalMembers: output.bytes, runStages: runStages, parallel: parallel)
    }

    private mutating func copyStages(of root: Node) {
        guard let list = tape.member(Field.stages, of: root) else {
            return report("stages", FieldMessage.required)
        }
        guard tape.kind(at: list) == .array else {
            return report("stages", FieldMessage.mustBeArray)
        }
        if tape.count(at: list) > Self.maximumStages {
            report("stages", FieldMessage.maximumStages(Self.maximumStages))
        }
        runStages.reserveCapacity(tape.count(at: list))
        tape.writeKey(list - 1, to: &output)
        output.beginArray()
        for (index, stage) in tape.elements(of: list).enumerated() {
            copyStage(stage, at: "stages[\(index)]")  // built only if a report needs it
        }
        output.endArray()
        reportDuplicateNames(in: list)
    }

    private mutating func copyParallel(of root: Node) -> Bool? {
        guard let value = tape.member(Field.parallel, of: root) else {
            output.raw(Self.defaultParallel)
            return false
        }
        let kind = tape.kind(at: value)
        guard kind == .true || kind == .false else {
            report("parallel", FieldMessage.mustBeBoolean)
            return nil
        }
        copyMember(value)
        return kind == .true
    }

    private static let defaultParallel = Array(#""parallel":false"#.utf8)

    /// Names that occur more than once, compared with canonical equivalence (Swift's `==`).
    /// At most 100 stages: comparing pairs beats hashing each name with Unicode normalisation.
    private mutating func reportDuplicateNames(in list: Node) {
        // `runStages` holds every valid name; without a duplicate among them (the usual case)
        // and with every stage valid there is nothing to find.
        if runStages.count == tape.count(at: list), !Self.hasRepeat(runStages.lazy.map(\.name)) { return }
        let names = tape.elements(of: list).map { stage -> ArraySlice<UInt8>? in
            guard tape.kind(at: stage) == .object, let name = tape.member(Field.name, of: stage),
                tape.kind(at: name) == .string
            else { return nil }
            return tape.stringBytes(at: name)
        }
        var reported: Set<Int> = []
        for first in names.indices {
            guard let name = names[first], !reported.contains(first) else { continue }
            let later = names.indices.dropFirst(first + 1).filter {
                names[$0].map { Self.isSameName(name, $0) } ?? false
            }
            guard !later.isEmpty else { continue }
            reported.formUnion(later)
            let text = Excerpt.of(utf8: name)
            report("stages", FieldMessage.duplicateStageName(text, paths: ([first] + later).map { "stages[\($0)]" }))
        }
    }

    /// Whether two of `names` are equal (Swift's `==`: canonical equivalence).
    private static func hasRepeat(_ names: some Collection<String>) -> Bool {
        var seen = names.startIndex
        while seen != names.endIndex {
            let name = names[seen]
            names.formIndex(after: &seen)
            if names[seen...].contains(name) { return true }
        }
        return false
    }

    /// Equal bytes are the same name; different bytes can still be canonically equivalent, but
    /// only if one of them is not ASCII.
    private static func isSameName(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        if a == b { return true }
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    // MARK: - Shared field helpers

    mutating func report(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    /// Checks the required string field `key` (its type, then its length in Unicode scalars,
    /// then `rule`) and copies it to the output. The parent path is built only for a report:
    /// most documents are valid.
    @discardableResult
    mutating func copyString(
        _ key: JSONKey, of object: Node, at parent: @autoclosure () -> String,
        length: ClosedRange<Int>? = nil, rule: FieldRule? = nil
    ) -> Node? {
        guard let value = tape.member(key, of: object) else {
            report(Self.path(parent(), key.description), FieldMessage.required)
            return nil
        }
        guard tape.kind(at: value) == .string else {
            report(Self.path(parent(), key.description), FieldMessage.mustBeString)
            return nil
        }
        if let length, !length.contains(tape.scalarCount(at: value)) {
            report(Self.path(parent(), key.description), FieldMessage.length(length))
            return nil
        }
        if let rule, !rule.accepts(tape.stringBytes(at: value)) {
            report(Self.path(parent(), key.description), rule.message)
            return nil
        }
        copyMember(value)
        return value
    }

    /// Writes the member whose value is at `value` (its key sits just before it) to the output.
    mutating func copyMember(_ value: Node) {
        tape.writeMember(value, to: &output)
    }

    /// Reports each member whose key is not in `allowed`, with the sentence `message` gives for it.
    mutating func reportUnknownFields(
        of object: Node, at parent: @autoclosure () -> String, allowed: [JSONKey],
        message: (JSONKey) -> String = { _ in FieldMessage.unknownField }
    ) {
        for member in tape.members(of: object) where !allowed.contains(tape.key(at: member.key)) {
            report(
                Self.path(parent(), Excerpt.of(utf8: tape.stringBytes(at: member.key))),
                message(tape.key(at: member.key)))
        }
    }
}
