/// Why a request body is not an acceptable pipeline document; the server maps `.malformed`
/// to 400 and `.invalid` to 422 with an `errors` list.
package enum DocumentError: Error, Sendable, Equatable {
    /// Not JSON at all (or rejected by the strict reader), at a byte offset.
    case malformed(offset: Int, reason: String)
    /// Well-formed JSON that breaks one or more rules; every problem found is listed.
    case invalid([FieldError])

    /// A human sentence for a problem+json `detail`.
    package var detail: String {
        switch self {
        case .malformed(let offset, let reason):
            "The request body is not valid JSON: \(reason) at byte offset \(offset)."
        case .invalid(let errors):
            errors.count == 1
                ? "The pipeline document is invalid: \(errors[0].field): \(errors[0].message)"
                : "The pipeline document is invalid (\(errors.count) problems, see errors)."
        }
    }
}

/// One validation problem, addressed by a JSON-path-like field name such as `stages[2].cluster.name`.
package struct FieldError: Sendable, Hashable {
    /// Path of the offending field; `$` is the document itself.
    package var field: String
    /// A complete sentence saying what is wrong and what is allowed.
    package var message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every validation message in one place, so wording stays consistent across fields.
package enum FieldMessage {
    package static let required = "This field is required."
    package static let unknownField = "Unknown field."
    static let mustBeString = "Must be a string."
    static let mustBeBoolean = "Must be a boolean (true or false)."
    static let mustBeArray = "Must be an array."
    static let mustBeObject = "Must be a JSON object."
    static let stageType = "Must be one of: \(StageType.allCases.map(\.rawValue).joined(separator: ", "))."
    static let timeout =
        "Must be an integer number of seconds from \(PipelineDocument.timeoutRange.lowerBound) to \(PipelineDocument.timeoutRange.upperBound)."
    static let stageNameStartsWithDigit = "Must not start with a digit."
    static let gitRepository =
        "Must be an https://, http://, ssh:// or git:// URL with a host, or scp-like user@host:path."
    static let serverURL = "Must be an http:// or https:// URL with a host."
    static let ecrRepository =
        "Must be an ECR repository such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo."
    static let clusterName = "Must be non-empty and contain only letters, digits, '-' and '_'."
    static let namespace =
        "Must be a DNS label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit."

    static func document(foundType: String) -> String {
        let article =
            switch foundType {
            case "null": ""
            case "array": "an "
            default: "a "
            }
        return "The pipeline document must be a JSON object, not \(article)\(foundType)."
    }

    static func length(_ range: ClosedRange<Int>) -> String {
        range.lowerBound > 0
            ? "Must be \(range.lowerBound) to \(range.upperBound) characters long."
            : "Must be at most \(range.upperBound) characters long."
    }

    static func maximumBytes(_ limit: Int) -> String {
        "Must be at most \(limit) bytes (\(limit / 1024) KiB) of UTF-8."
    }

    static func maximumStages(_ limit: Int) -> String {
        "Must contain at most \(limit) stages."
    }

    static func notField(ofStageType type: String) -> String {
        "Not a field of a \(type) stage."
    }

    static func duplicateStageName(_ name: String, paths: [String]) -> String {
        let list = paths.dropLast().joined(separator: ", ") + " and " + paths.last!
        return "Stage names must be unique. \"\(name)\" is used by \(list)."
    }
}
