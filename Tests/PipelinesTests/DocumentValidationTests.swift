import Testing

@testable import Pipelines

struct DocumentValidationTests {
    private func errors(_ bytes: [UInt8]) -> [FieldError] {
        switch DocumentSample.decode(bytes) {
        case .failure(.invalid(let errors)): return errors
        case .failure(let other): return [FieldError(field: "unexpected", message: "\(other)")]
        case .success: return []
        }
    }

    private func errors(setting path: String, to json: String?) -> [FieldError] {
        errors(DocumentSample.with(path, json))
    }

    private func expectValid(_ path: String, _ json: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(errors(setting: path, to: json) == [], "\(path) = \(json ?? "absent")", sourceLocation: sourceLocation)
    }

    private func expectError(
        _ path: String, _ json: String?, field: String? = nil, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = [FieldError(field: field ?? path, message: message)]
        #expect(
            errors(setting: path, to: json) == expected, "\(path) = \(json ?? "absent")", sourceLocation: sourceLocation
        )
    }

    @Test func wrongTopLevelShapeIsInvalidNotMalformed() {
        #expect(
            errors(Array("[]".utf8)) == [
                FieldError(field: "$", message: "The pipeline document must be a JSON object, not an array.")
            ])
        #expect(
            errors(Array("\"x\"".utf8)) == [
                FieldError(field: "$", message: "The pipeline document must be a JSON object, not a string.")
            ])
        #expect(
            errors(Array("null".utf8)) == [
                FieldError(field: "$", message: "The pipeline document must be a JSON object, not null.")
            ])
    }

    /// A required string limited to `range` Unicode scalars (multi-byte scalars count once).
    private func expectLengthLimitedString(
        _ path: String, _ range: ClosedRange<Int>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let quoted = { (text: String) in "\"" + text + "\"" }
        expectValid(path, quoted(String(repeating: "é", count: range.upperBound)), sourceLocation: sourceLocation)
        expectError(path, nil, "This field is required.", sourceLocation: sourceLocation)
        expectError(path, quoted(""), FieldMessage.length(range), sourceLocation: sourceLocation)
        expectError(
            path, quoted(String(repeating: "a", count: range.upperBound + 1)), FieldMessage.length(range),
            sourceLocation: sourceLocation)
        expectError(path, "5", "Must be a string.", sourceLocation: sourceLocation)
    }

    @Test func pipelineName() {
        expectLengthLimitedString("name", 1...200)
        #expect(FieldMessage.length(1...200) == "Must be 1 to 200 characters long.")
    }

    @Test(arguments: [
        "https://github.com/example/repo", "http://host", "ssh://git@host:22/x.git", "git://host/x",
        "HTTPS://Example.com/x", "https://[::1]:8080/x", "https://u:p@h.example/r?x#y",
        "git@github.com:org/repo.git", "user@host:path",
        "https://h/" + String(repeating: "a", count: 2038),
    ])
    func acceptedGitRepositories(url: String) {
        expectValid("git_repository", "\"\(url)\"")
    }

    @Test(arguments: [
        "github.com/example/repo", "ftp://host/x", "https://", "https:///path", "https://host /x",
        "https://host\\n", "https://h:8x/", "user@host", "@host:path", "user@:path", "user@host:",
        "file:///tmp/repo", "",
    ])
    func rejectedGitRepositories(url: String) {
        expectError("git_repository", "\"\(url)\"", FieldMessage.gitRepository)
    }

    @Test func gitRepositoryMustBeAStringAndIsRequired() {
        expectError("git_repository", nil, "This field is required.")
        expectError("git_repository", "[]", "Must be a string.")
        expectError(
            "git_repository", "\"https://h/" + String(repeating: "a", count: 2039) + "\"",
            "Must be at most 2048 characters long.")
    }

    @Test func stagesArray() {
        expectValid("stages", "[]")
        expectError("stages", nil, "This field is required.")
        expectError("stages", "{}", "Must be an array.")
        let stages = { (count: Int) in
            "[" + (0..<count).map { #"{"name":"s\#($0)","type":"Run","command":"c"}"# }.joined(separator: ",") + "]"
        }
        expectValid("stages", stages(100))
        expectError("stages", stages(101), "Must contain at most 100 stages.")
        expectError("stages[0]", "\"Run\"", "Must be a JSON object.")
    }

    @Test func parallelMustBeABoolean() {
        expectValid("parallel", "true")
        expectValid("parallel", nil)
        for bad in ["\"yes\"", "1", "null", "\"true\""] {
            expectError("parallel", bad, "Must be a boolean (true or false).")
        }
    }

    @Test func unknownTopLevelFieldsAreNamed() {
        expectError("paralell", "true", FieldMessage.unknownField)
    }

    @Test func stageName() {
        expectLengthLimitedString("stages[0].name", 1...100)
        expectValid("stages[0].name", "\"a1\"")
        expectError("stages[0].name", "\"1st\"", "Must not start with a digit.")
        expectError("stages[0].name", "\"\u{663}rd\"", "Must not start with a digit.")
    }

    @Test func stageTypeNamesTheAllowedValuesOnce() {
        for bad in ["\"run\"", "\"RUN\"", "\"Test\"", "3", "null"] {
            expectError("stages[0].type", bad, "Must be one of: Run, Build, Deploy.")
        }
        expectError("stages[0].type", nil, "This field is required.")
    }

    @Test func timeoutIsAnIntegerInRange() {
        expectValid("stages[0].timeout", "1")
        expectValid("stages[0].timeout", "2592000")
        expectValid("stages[0].timeout", nil)
        for bad in [
            "\"500\"", "true", "1.5", "600.0", "6e2", "0", "-1", "2592001", "null", "1e400",
            "123456789012345678901234567890",
        ] {
            expectError("stages[0].timeout", bad, FieldMessage.timeout)
        }
    }

    @Test func runCommand() {
        expectValid("stages[0].command", "\"" + String(repeating: "x", count: 65536) + "\"")
        expectError("stages[0].command", nil, "This field is required.")
        expectError("stages[0].command", "[\"make\"]", "Must be a string.")
        expectError(
            "stages[0].command", "\"" + String(repeating: "€", count: 21846) + "\"",
            "Must be at most 65536 bytes (64 KiB) of UTF-8.")
    }

    @Test func buildFields() {
        expectError("stages[1].dockerfile", nil, "This field is required.")
        expectError("stages[1].tag", "1", "Must be a string.")
        expectError("stages[1].ecr_repository", nil, "This field is required.")
        expectValid("stages[1].ecr_repository", #""000000000000.dkr.ecr.eu-west-3.amazonaws.com/My_repo-2""#)
    }

    @Test(arguments: [
        "12345678901.dkr.ecr.us-east-1.amazonaws.com/r", "1234567890123.dkr.ecr.us-east-1.amazonaws.com/r",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/r\\n", "123456789012.dkr.ecr.US-EAST-1.amazonaws.com/r",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/", "123456789012.dkr.ecr.us-east-1.amazonaws.com/a/b",
        "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/r", "123456789012.dkr.ecr..amazonaws.com/r",
        "123456789012.dkr.ecr.us.east.amazonaws.com/r", "１２３456789012.dkr.ecr.us-east-1.amazonaws.com/r",
    ])
    func rejectedECRRepositories(repository: String) {
        expectError("stages[1].ecr_repository", "\"\(repository)\"", FieldMessage.ecrRepository)
    }

    @Test func deployManifestAndCluster() {
        expectValid("stages[2].k8s_manifest", "{}")
        expectError("stages[2].k8s_manifest", nil, "This field is required.")
        for bad in ["[]", "\"x\"", "null"] {
            expectError("stages[2].k8s_manifest", bad, "Must be a JSON object.")
        }
        expectError("stages[2].cluster", nil, "This field is required.")
        expectError("stages[2].cluster", "\"prod\"", "Must be a JSON object.")
        expectValid("stages[2].cluster.name", "\"A-z_09\"")
        for bad in ["\"bad name\"", "\"\"", "\"prod.1\""] {
            expectError("stages[2].cluster.name", bad, FieldMessage.clusterName)
        }
        expectError("stages[2].cluster.server_url", nil, "This field is required.")
        for bad in ["\"ftp://k8s\"", "\"k8s.example.com\"", "\"https://\""] {
            expectError("stages[2].cluster.server_url", bad, FieldMessage.serverURL)
        }
        expectError("stages[2].cluster.zone", "\"a\"", FieldMessage.unknownField)
    }

    @Test func namespace() {
        for good in ["null", "\"\"", "\"a\"", "\"a-1\"", "\"" + String(repeating: "n", count: 63) + "\""] {
            expectValid("stages[2].cluster.namespace", good)
        }
        expectValid("stages[2].cluster.namespace", nil)
        for bad in ["\"Prod\"", "\"-a\"", "\"a-\"", "\"a_b\"", "\"" + String(repeating: "n", count: 64) + "\""] {
            expectError("stages[2].cluster.namespace", bad, FieldMessage.namespace)
        }
        expectError("stages[2].cluster.namespace", "5", "Must be a string.")
    }

    @Test func fieldsOfOtherStageTypesAreRejectedByName() {
        expectError("stages[0].dockerfile", "\"Dockerfile\"", "Not a field of a Run stage.")
        expectError("stages[1].cluster", "{}", "Not a field of a Build stage.")
        expectError("stages[2].command", "\"x\"", "Not a field of a Deploy stage.")
        expectError("stages[0].retries", "3", FieldMessage.unknownField)
    }

    @Test func stageWithABadTypeReportsOnlyTheTypeAndTrulyUnknownFields() {
        let body =
            #"{"name":"n","git_repository":"git@h:r","stages":[{"name":"s","type":"Shell","command":"x","extra":1}]}"#
        #expect(
            errors(Array(body.utf8)) == [
                FieldError(field: "stages[0].type", message: "Must be one of: Run, Build, Deploy."),
                FieldError(field: "stages[0].extra", message: "Unknown field."),
            ])
    }

    @Test func duplicateStageNamesAreNamedWithCanonicalEquivalence() {
        let stage = { (name: String) in #"{"name":"\#(name)","type":"Run","command":"c"}"# }
        let names = ["a", "b", "a", "B", "\u{e9}", "e\\u0301", "a"]
        let body =
            #"{"name":"n","git_repository":"git@h:r","stages":["# + names.map(stage).joined(separator: ",") + "]}"
        #expect(
            errors(Array(body.utf8)) == [
                FieldError(
                    field: "stages",
                    message: #"Stage names must be unique. "a" is used by stages[0], stages[2] and stages[6]."#),
                FieldError(
                    field: "stages", message: #"Stage names must be unique. "é" is used by stages[4] and stages[5]."#),
            ])
    }

    @Test func everyProblemIsReportedAtOnceWithPaths() {
        let body = #"""
            {"name":"","git_repository":"nope","paralell":true,"stages":[
              {"name":"1x","type":"Run","timeout":"500"},
              {"name":"b","type":"Build","dockerfile":"D","tag":"t","ecr_repository":"x","command":"c"},
              {"name":"d","type":"Deploy","k8s_manifest":[],"cluster":{"name":"bad name","server_url":"k8s","namespace":"NS","zone":1}}
            ]}
            """#
        #expect(
            errors(Array(body.utf8)) == [
                FieldError(field: "name", message: "Must be 1 to 200 characters long."),
                FieldError(field: "git_repository", message: FieldMessage.gitRepository),
                FieldError(field: "stages[0].name", message: "Must not start with a digit."),
                FieldError(field: "stages[0].command", message: "This field is required."),
                FieldError(field: "stages[0].timeout", message: FieldMessage.timeout),
                FieldError(field: "stages[1].ecr_repository", message: FieldMessage.ecrRepository),
                FieldError(field: "stages[1].command", message: "Not a field of a Build stage."),
                FieldError(field: "stages[2].k8s_manifest", message: "Must be a JSON object."),
                FieldError(field: "stages[2].cluster.name", message: FieldMessage.clusterName),
                FieldError(field: "stages[2].cluster.server_url", message: FieldMessage.serverURL),
                FieldError(field: "stages[2].cluster.namespace", message: FieldMessage.namespace),
                FieldError(field: "stages[2].cluster.zone", message: "Unknown field."),
                FieldError(field: "paralell", message: "Unknown field."),
            ])
    }
}
