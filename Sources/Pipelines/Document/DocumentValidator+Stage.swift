/// Stage and cluster rules: the type decides which fields a stage may have.
extension DocumentValidator {
    static let stageNameLength = 1...100
    static let maximumCommandBytes = 64 * 1024
    // Arrays, not sets: with three to five short keys a linear scan beats hashing every key.
    static let commonStageFields = ["name", "type", "timeout"]
    static let clusterFields = ["name", "server_url", "namespace"]

    /// The fields each stage type owns besides the common ones.
    static let fieldsByType: [(type: String, fields: [String])] = [
        ("Run", ["command"]),
        ("Build", ["dockerfile", "tag", "ecr_repository"]),
        ("Deploy", ["k8s_manifest", "cluster"]),
    ]

    mutating func stage(from value: JSONValue, at path: String) -> Stage? {
        guard let members = value.objectMembers else {
            report(path, FieldMessage.mustBeObject)
            return nil
        }
        let name = stageName(in: members, at: path)
        let type = stageType(in: members, at: path)
        let kind: Stage.Kind? = switch type {
        case "Run": runKind(members, at: path)
        case "Build": buildKind(members, at: path)
        case "Deploy": deployKind(members, at: path)
        default: nil
        }
        let timeout = self.timeout(in: members, at: path)
        reportUnknownStageFields(in: members, type: type, at: path)
        guard let name, let kind, let timeout else { return nil }
        return Stage(name: name, kind: kind, timeout: timeout)
    }

    private mutating func stageName(in members: Members, at path: String) -> String? {
        guard let name = string("name", in: members, at: path, length: Self.stageNameLength) else {
            return nil
        }
        if let first = name.unicodeScalars.first, FieldRules.isDecimalDigit(first) {
            report(Self.path(path, "name"), FieldMessage.stageNameStartsWithDigit)
            return nil
        }
        return name
    }

    /// The type name if it is one of the three; one error otherwise.
    private mutating func stageType(in members: Members, at path: String) -> String? {
        guard let value = Self.member("type", in: members) else {
            report(Self.path(path, "type"), FieldMessage.required)
            return nil
        }
        guard let type = value.stringValue, Self.fieldsByType.contains(where: { $0.type == type }) else {
            report(Self.path(path, "type"), FieldMessage.stageType)
            return nil
        }
        return type
    }

    private mutating func timeout(in members: Members, at path: String) -> Int? {
        guard let value = Self.member("timeout", in: members) else { return Stage.defaultTimeout }
        if case .number(let number) = value, let seconds = Int(exactly: number),
           Stage.timeoutRange.contains(seconds) {
            return seconds
        }
        report(Self.path(path, "timeout"), FieldMessage.timeout)
        return nil
    }

    private mutating func runKind(_ members: Members, at path: String) -> Stage.Kind? {
        guard let command = string("command", in: members, at: path) else { return nil }
        guard command.utf8.count <= Self.maximumCommandBytes else {
            report(Self.path(path, "command"), FieldMessage.maximumBytes(Self.maximumCommandBytes))
            return nil
        }
        return .run(command: command)
    }

    private mutating func buildKind(_ members: Members, at path: String) -> Stage.Kind? {
        let dockerfile = string("dockerfile", in: members, at: path)
        let tag = string("tag", in: members, at: path)
        var repository = string("ecr_repository", in: members, at: path)
        if let candidate = repository, !FieldRules.isECRRepository(candidate) {
            report(Self.path(path, "ecr_repository"), FieldMessage.ecrRepository)
            repository = nil
        }
        guard let dockerfile, let tag, let repository else { return nil }
        return .build(dockerfile: dockerfile, tag: tag, ecrRepository: repository)
    }

    private mutating func deployKind(_ members: Members, at path: String) -> Stage.Kind? {
        let manifestPath = Self.path(path, "k8s_manifest")
        var manifest = Self.member("k8s_manifest", in: members)
        switch manifest {
        case nil: report(manifestPath, FieldMessage.required)
        case .object?: break
        default:
            report(manifestPath, FieldMessage.mustBeObject)
            manifest = nil
        }
        let cluster = self.cluster(in: members, at: Self.path(path, "cluster"))
        guard let manifest, let cluster else { return nil }
        return .deploy(k8sManifest: manifest, cluster: cluster)
    }

    private mutating func cluster(in stageMembers: Members, at path: String) -> Cluster? {
        guard let value = Self.member("cluster", in: stageMembers) else {
            report(path, FieldMessage.required)
            return nil
        }
        guard let members = value.objectMembers else {
            report(path, FieldMessage.mustBeObject)
            return nil
        }
        var name = string("name", in: members, at: path)
        if let candidate = name, !FieldRules.isClusterName(candidate) {
            report(Self.path(path, "name"), FieldMessage.clusterName)
            name = nil
        }
        var serverURL = string("server_url", in: members, at: path)
        if let candidate = serverURL, !FieldRules.isURL(candidate, schemes: FieldRules.httpSchemes) {
            report(Self.path(path, "server_url"), FieldMessage.serverURL)
            serverURL = nil
        }
        let namespace = self.namespace(in: members, at: path)
        reportUnknownFields(in: members, at: path) {
            Self.clusterFields.contains($0) ? nil : FieldMessage.unknownField
        }
        guard let name, let serverURL, let namespace else { return nil }
        return Cluster(name: name, serverURL: serverURL, namespace: namespace)
    }

    /// Absent, `null` and `""` mean the default namespace.
    private mutating func namespace(in members: Members, at path: String) -> String? {
        switch Self.member("namespace", in: members) {
        case nil, .null?: return Cluster.defaultNamespace
        case .string(let text)?:
            if text.isEmpty { return Cluster.defaultNamespace }
            if FieldRules.isDNSLabel(text) { return text }
            report(Self.path(path, "namespace"), FieldMessage.namespace)
        default:
            report(Self.path(path, "namespace"), FieldMessage.mustBeString)
        }
        return nil
    }

    /// Fields of another stage type are named as such; with no valid type only fields that
    /// belong to no type are reported, since the intended type is unknown.
    private mutating func reportUnknownStageFields(in members: Members, type: String?, at path: String) {
        reportUnknownFields(in: members, at: path) { key in
            if Self.commonStageFields.contains(key) { return nil }
            guard let owner = Self.fieldsByType.first(where: { $0.fields.contains(key) })?.type else {
                return FieldMessage.unknownField
            }
            guard let type, owner != type else { return nil }
            return FieldMessage.notField(ofStageType: type)
        }
    }
}
