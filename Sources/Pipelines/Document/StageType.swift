/// The kinds of stage a pipeline has. A closed set: the validator accepts only these, a run
/// snapshots them, and the raw values are the spellings documents and runs use on the wire.
package enum StageType: String, Sendable, Hashable, CaseIterable {
    case run = "Run"
    case build = "Build"
    case deploy = "Deploy"

    /// The fields a stage of this type has besides the common `name`, `type` and `timeout`, in
    /// the order the canonical encoding writes them; a field of another type is refused.
    var fields: [JSONKey] {
        typealias Field = DocumentValidator.Field
        return switch self {
        case .run: [Field.command]
        case .build: [Field.dockerfile, Field.tag, Field.ecrRepository]
        case .deploy: [Field.k8sManifest, Field.cluster]
        }
    }
}
