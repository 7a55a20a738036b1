/// Stage and cluster rules: the type decides which fields a stage may have.
extension DocumentValidator {
    static let stageNameLength = 1...100
    static let commonStageFields = [Field.name, Field.type, Field.timeout]
    static let clusterFields = [Field.name, Field.serverURL, Field.namespace]

    /// Each type's packed spelling, so a stage's `type` is matched without making a `String`.
    static let stageTypeCodes = StageType.allCases.map { (type: $0, code: JSONKey($0.rawValue)) }
    /// Per type, every field its stage may have (worked out once, not per stage, and picked by
    /// a switch: a table keyed by the type hashed its raw value, a `String`, for every stage).
    static let allowedRunFields = commonStageFields + StageType.run.fields
    static let allowedBuildFields = commonStageFields + StageType.build.fields
    static let allowedDeployFields = commonStageFields + StageType.deploy.fields

    static func allowedFields(of type: StageType) -> [JSONKey] {
        switch type {
        case .run: allowedRunFields
        case .build: allowedBuildFields
        case .deploy: allowedDeployFields
        }
    }
    /// Every field a stage of any type may have.
    static let anyStageField = commonStageFields + StageType.allCases.flatMap(\.fields)

    mutating func copyStage(_ stage: Node, at path: @autoclosure () -> String) {
        guard tape.kind(at: stage) == .object else {
            return report(path(), FieldMessage.mustBeObject)
        }
        output.beginObject()
        let name = copyString(Field.name, of: stage, at: path(), length: Self.stageNameLength, rule: .stageName)
        let type = copyType(of: stage, at: path())
        switch type {
        case .run:
            copyString(Field.command, of: stage, at: path(), rule: .command)
        case .build:
            copyString(Field.dockerfile, of: stage, at: path())
            copyString(Field.tag, of: stage, at: path())
            copyString(Field.ecrRepository, of: stage, at: path(), rule: .ecrRepository)
        case .deploy:
            copyManifest(of: stage, at: path())
            copyCluster(of: stage, at: path())
        case nil:
            break
        }
        let timeout = copyTimeout(of: stage, at: path())
        output.endObject()
        reportUnknownStageFields(of: stage, type: type, at: path())
        if let name, let type, let timeout {
            runStages.append(RunPlan.Stage(name: tape.string(at: name)!, type: type, timeout: timeout))
        }
    }

    /// The stage's type; one error when it is missing or not one of them.
    private mutating func copyType(of stage: Node, at path: @autoclosure () -> String) -> StageType? {
        guard let value = tape.member(Field.type, of: stage) else {
            report(Self.path(path(), "type"), FieldMessage.required)
            return nil
        }
        let code = tape.kind(at: value) == .string ? JSONKey(bytes: tape.stringBytes(at: value)) : .uncoded
        guard let type = Self.stageTypeCodes.first(where: { $0.code == code })?.type else {
            report(Self.path(path(), "type"), FieldMessage.stageType)
            return nil
        }
        copyMember(value)
        return type
    }

    private mutating func copyTimeout(of stage: Node, at path: @autoclosure () -> String) -> Int? {
        guard let value = tape.member(Field.timeout, of: stage) else {
            output.raw(Self.defaultTimeout)
            return PipelineDocument.defaultTimeout
        }
        guard let seconds = tape.integer(at: value), PipelineDocument.timeoutRange.contains(seconds) else {
            report(Self.path(path(), "timeout"), FieldMessage.timeout)
            return nil
        }
        copyMember(value)  // an integer literal in JSON is already in canonical form
        return seconds
    }

    private static let defaultTimeout = Array(#""timeout":\#(PipelineDocument.defaultTimeout)"#.utf8)

    /// Any JSON object, kept exactly as sent.
    private mutating func copyManifest(of stage: Node, at path: @autoclosure () -> String) {
        guard let manifest = tape.member(Field.k8sManifest, of: stage) else {
            return report(Self.path(path(), "k8s_manifest"), FieldMessage.required)
        }
        guard tape.kind(at: manifest) == .object else {
            return report(Self.path(path(), "k8s_manifest"), FieldMessage.mustBeObject)
        }
        copyMember(manifest)
    }

    private mutating func copyCluster(of stage: Node, at stagePath: @autoclosure () -> String) {
        func path() -> String { Self.path(stagePath(), "cluster") }
        guard let cluster = tape.member(Field.cluster, of: stage) else {
            return report(path(), FieldMessage.required)
        }
        guard tape.kind(at: cluster) == .object else {
            return report(path(), FieldMessage.mustBeObject)
        }
        tape.writeKey(cluster - 1, to: &output)
        output.beginObject()
        copyString(Field.name, of: cluster, at: path(), rule: .clusterName)
        copyString(Field.serverURL, of: cluster, at: path(), rule: .serverURL)
        copyNamespace(of: cluster, at: path())
        output.endObject()
        reportUnknownFields(of: cluster, at: path(), allowed: Self.clusterFields)
    }

    /// Absent, `null` and `""` mean the default namespace.
    private mutating func copyNamespace(of cluster: Node, at path: @autoclosure () -> String) {
        guard let value = tape.member(Field.namespace, of: cluster), tape.kind(at: value) != .null else {
            return output.raw(Self.defaultNamespace)
        }
        guard tape.kind(at: value) == .string else {
            return report(Self.path(path(), "namespace"), FieldMessage.mustBeString)
        }
        let text = tape.stringBytes(at: value)
        if text.isEmpty { return output.raw(Self.defaultNamespace) }
        guard FieldRules.isDNSLabel(text) else {
            return report(Self.path(path(), "namespace"), FieldMessage.namespace)
        }
        copyMember(value)
    }

    private static let defaultNamespace = Array(#""namespace":"\#(PipelineDocument.defaultNamespace)""#.utf8)

    /// Fields of another stage type are named as such; with no valid type only fields that
    /// belong to no type are reported, since the intended type is unknown.
    private mutating func reportUnknownStageFields(of stage: Node, type: StageType?, at path: @autoclosure () -> String)
    {
        let allowed = type.map(Self.allowedFields(of:)) ?? Self.anyStageField
        reportUnknownFields(of: stage, at: path(), allowed: allowed) { key in
            guard let type, Self.anyStageField.contains(key) else { return FieldMessage.unknownField }
            return FieldMessage.notField(ofStageType: type.rawValue)
        }
    }
}
