/// Walks a parsed body once, building a `PipelineDocument` and collecting every rule it breaks,
/// so a client sees all problems of a body in a single 422.
struct DocumentValidator {
    typealias Members = [(key: String, value: JSONValue)]

    static let nameLength = 1...200
    static let gitRepositoryLength = 0...2048
    static let maximumStages = 100
    static let topLevelFields = ["name", "git_repository", "stages", "parallel", "id"]

    private(set) var errors: [FieldError] = []

    /// The document, or `nil` when at least one error was recorded.
    mutating func document(from root: JSONValue) -> PipelineDocument? {
        guard let members = root.objectMembers else {
            report("$", FieldMessage.document(foundType: root.typeName))
            return nil
        }
        let name = string("name", in: members, at: "", length: Self.nameLength)
        let repository = string("git_repository", in: members, at: "", length: Self.gitRepositoryLength)
        if let repository, !FieldRules.isGitRepository(repository) {
            report("git_repository", FieldMessage.gitRepository)
        }
        let stages = self.stages(in: members)
        let parallel = self.parallel(in: members)
        reportUnknownFields(in: members, at: "") { Self.topLevelFields.contains($0) ? nil : FieldMessage.unknownField }
        guard errors.isEmpty, let name, let repository, let stages, let parallel else { return nil }
        return PipelineDocument(name: name, gitRepository: repository, stages: stages, parallel: parallel)
    }

    private mutating func stages(in members: Members) -> [Stage]? {
        guard let value = Self.member("stages", in: members) else {
            report("stages", FieldMessage.required)
            return nil
        }
        guard case .array(let elements) = value else {
            report("stages", FieldMessage.mustBeArray)
            return nil
        }
        if elements.count > Self.maximumStages {
            report("stages", FieldMessage.maximumStages(Self.maximumStages))
        }
        var stages: [Stage] = []
        stages.reserveCapacity(elements.count)
        var valid = true
        for (index, element) in elements.enumerated() {
            if let stage = stage(from: element, at: "stages[\(index)]") {
                stages.append(stage)
            } else {
                valid = false
            }
        }
        reportDuplicateNames(in: elements)
        return valid ? stages : nil
    }

    private mutating func parallel(in members: Members) -> Bool? {
        switch Self.member("parallel", in: members) {
        case nil: return false
        case .bool(let flag): return flag
        default:
            report("parallel", FieldMessage.mustBeBoolean)
            return nil
        }
    }

    /// Names that occur more than once, compared with canonical equivalence (Swift's `==`).
    /// At most 100 stages: comparing pairs (fast for the usual ASCII names) beats hashing each
    /// name with Unicode normalisation.
    private mutating func reportDuplicateNames(in elements: [JSONValue]) {
        let names = elements.map { $0.objectMembers.flatMap { Self.member("name", in: $0)?.stringValue } }
        var reported = Array(repeating: false, count: names.count)
        for first in names.indices {
            guard let name = names[first], !reported[first] else { continue }
            var found = [first]
            for later in (first + 1)..<names.count where names[later] == name {
                found.append(later)
                reported[later] = true
            }
            if found.count > 1 {
                report("stages", FieldMessage.duplicateStageName(name, paths: found.map { "stages[\($0)]" }))
            }
        }
    }

    // MARK: - Shared field helpers

    mutating func report(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    static func member(_ key: String, in members: Members) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// A required string field; `length` counts Unicode scalars.
    mutating func string(
        _ key: String, in members: Members, at parent: String, length: ClosedRange<Int>? = nil
    ) -> String? {
        // The field path is built only for a report: most documents are valid.
        guard let value = Self.member(key, in: members) else {
            report(Self.path(parent, key), FieldMessage.required)
            return nil
        }
        guard let text = value.stringValue else {
            report(Self.path(parent, key), FieldMessage.mustBeString)
            return nil
        }
        if let length, !length.contains(text.unicodeScalars.count) {
            report(Self.path(parent, key), FieldMessage.length(length))
            return nil
        }
        return text
    }

    /// Reports each member whose key `verdict` returns a message for.
    mutating func reportUnknownFields(
        in members: Members, at parent: String, verdict: (String) -> String?
    ) {
        for member in members {
            if let message = verdict(member.key) {
                report(Self.path(parent, member.key), message)
            }
        }
    }
}
