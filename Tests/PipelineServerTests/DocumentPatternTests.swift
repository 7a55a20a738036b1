import Foundation
import Pipelines
import Testing

/// `openapi.json`'s string patterns say exactly what the validator accepts: for each sample, the
/// document's regular expression and the server's decision agree. (schemathesis checks the same
/// from generated data; these are the edge cases written down.)
struct DocumentPatternTests {
    /// Every property pattern of the document's schemas, keyed `Schema.property`.
    static let patterns: [String: String] = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PipelineServer/openapi.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        var patterns: [String: String] = [:]
        for (name, schema) in schemas {
            for (property, value) in ((schema as? [String: Any])?["properties"] as? [String: Any]) ?? [:] {
                if let pattern = (value as? [String: Any])?["pattern"] as? String {
                    patterns["\(name).\(property)"] = pattern
                }
            }
        }
        return patterns
    }()

    static func pattern(_ schema: String, _ property: String) -> NSRegularExpression? {
        patterns["\(schema).\(property)"].flatMap { try? NSRegularExpression(pattern: $0) }
    }

    static func documentMatches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether the validator reports an error at `field` for a document built around `value`.
    static func serverAccepts(_ field: String, in document: String) -> Bool {
        switch PipelineDocument.decode(Array(document.utf8)) {
        case .success: true
        case .failure(.invalid(let errors)): !errors.contains { $0.field == field }
        case .failure(.malformed): false
        }
    }

    static func json(_ text: String) -> String {
        String(
            decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), as: UTF8.self
        )
        .dropFirst().dropLast().description
    }

    static let urls = [
        "https://github.com/example/repo", "HTTP://h", "https://", "https://u@", "https://[::1]:80/x",
        "https://[::1]x", "https://[]", "https://h:x", "https://h:/x", "https://a@b@c/x", "https://h x",
        "https://h\u{1}", "https://é.com", "https://h\n", "ftp://h", "https:/h", "https://h?q#f",
        "https://:80", "https://h%20", "https://h/ä", "https://h\u{7F}",
    ]

    @Test(
        arguments: urls + [
            "git@github.com:x/y.git", "git://h/r", "SSH://h", "u@h:", "u@h:p/a b", "@h:p", "u@:p", "u/x@h:p",
        ])
    func gitRepositoryPatternMatchesTheValidator(sample: String) throws {
        let regex = try #require(Self.pattern("PipelineDocument", "git_repository"))
        let document = #"{"name": "n", "git_repository": \#(Self.json(sample)), "stages": []}"#
        #expect(Self.documentMatches(regex, sample) == Self.serverAccepts("git_repository", in: document))
    }

    @Test(arguments: urls + ["ssh://h", "git://h"])
    func serverURLPatternMatchesTheValidator(sample: String) throws {
        let regex = try #require(Self.pattern("Cluster", "server_url"))
        let document = #"""
            {"name": "n", "git_repository": "git://h", "stages": [{"name": "d", "type": "Deploy", "k8s_manifest": {},
             "cluster": {"name": "c", "server_url": \#(Self.json(sample))}}]}
            """#
        #expect(Self.documentMatches(regex, sample) == Self.serverAccepts("stages[0].cluster.server_url", in: document))
    }

    @Test(arguments: ["Run tests", "a", "9lives", "\u{663}x", "x9", " 9", "Ⅻ"])
    func stageNamePatternMatchesTheValidator(sample: String) throws {
        let regex = try #require(Self.pattern("RunStage", "name"))
        let document =
            #"{"name": "n", "git_repository": "git://h", "stages": [{"name": \#(Self.json(sample)), "type": "Run", "command": "c"}]}"#
        #expect(Self.documentMatches(regex, sample) == Self.serverAccepts("stages[0].name", in: document))
    }

    @Test(arguments: [
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo\n",
        "12345678901.dkr.ecr.r.amazonaws.com/x", "123456789012.dkr.ecr.R.amazonaws.com/x",
        "123456789012.dkr.ecr.r.amazonaws.com/",
    ])
    func ecrRepositoryPatternMatchesTheValidator(sample: String) throws {
        let regex = try #require(Self.pattern("BuildStage", "ecr_repository"))
        let document = #"""
            {"name": "n", "git_repository": "git://h", "stages": [{"name": "b", "type": "Build", "dockerfile": "D", "tag": "t",
             "ecr_repository": \#(Self.json(sample))}]}
            """#
        #expect(Self.documentMatches(regex, sample) == Self.serverAccepts("stages[0].ecr_repository", in: document))
    }
}
