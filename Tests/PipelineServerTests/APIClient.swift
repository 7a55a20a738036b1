import Foundation

/// A small keep-alive JSON client over `RawClient`, for API-level tests.
final class APIClient: @unchecked Sendable {
    let raw: RawClient
    var authorization: String? = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    init(port: Int) throws {
        raw = try RawClient(port: port)
    }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) -> HTTPReply? {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        if let authorization { text += "Authorization: \(authorization)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil || method == "POST" || method == "PUT" { text += "Content-Length: \(bodyBytes.count)\r\n" }
        raw.send(Array((text + "\r\n").utf8) + bodyBytes)
        return raw.readResponse(toHEAD: method == "HEAD")
    }
}

/// The 3-stage document of API.md, as a user would send it.
let sampleDocument = """
{"name": "CI Pipeline", "git_repository": "https://github.com/example/repo", "stages": [
 {"name": "Run tests", "type": "Run", "command": "pytest", "timeout": 500},
 {"name": "Build image", "type": "Build", "dockerfile": "Dockerfile", "tag": "latest",
  "ecr_repository": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo", "timeout": 600},
 {"name": "Deploy", "type": "Deploy", "k8s_manifest": {"apiVersion": "apps/v1", "kind": "Deployment"},
  "cluster": {"name": "prod-1", "server_url": "https://k8s.example.com", "namespace": "production"}, "timeout": 600}
], "parallel": false}
"""

/// A document with the given stages (each `(name, timeout)` a Run stage).
func runStagesDocument(_ stages: [(String, Int)], parallel: Bool = false) -> String {
    let list = stages.map { #"{"name": "\#($0.0)", "type": "Run", "command": "make", "timeout": \#($0.1)}"# }
    return #"{"name": "p", "git_repository": "https://example.com/r.git", "parallel": \#(parallel), "stages": [\#(list.joined(separator: ","))]}"#
}
