import Foundation
import Testing

/// A small keep-alive JSON client over `RawClient`, for API-level tests.
final class APIClient: @unchecked Sendable {
    let raw: RawClient
    var authorization: String? = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    init(port: Int) throws {
        raw = try RawClient(port: port)
    }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) -> HTTPReply? {
        raw.send(requestBytes(method, path, body: body, headers: headers, authorization: authorization))
        return raw.readResponse(toHEAD: method == "HEAD")
    }
}

extension APIClient: RequestSending {}

/// The `Host` test clients send (`Host: t` in hand-written requests): every test server is told
/// to accept it (`--allowed-host t`), as a deployment names its own host.
let testHost = "t"

/// A client that sends one API request and returns its answer, over a socket or in memory.
protocol RequestSending {
    func request(_ method: String, _ path: String, body: String?, headers: [String: String]) -> HTTPReply?
}

/// The bytes of one keep-alive API request, `Content-Length` included for bodies and writes.
func requestBytes(_ method: String, _ path: String, body: String?, headers: [String: String], authorization: String?)
    -> [UInt8]
{
    var text = "\(method) \(path) HTTP/1.1\r\nHost: \(testHost)\r\n"
    if let authorization { text += "Authorization: \(authorization)\r\n" }
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    let bodyBytes = Array((body ?? "").utf8)
    if body != nil || method == "POST" || method == "PUT" { text += "Content-Length: \(bodyBytes.count)\r\n" }
    return Array((text + "\r\n").utf8) + bodyBytes
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
    return
        #"{"name": "p", "git_repository": "https://example.com/r.git", "parallel": \#(parallel), "stages": [\#(list.joined(separator: ","))]}"#
}

/// Run helpers shared by the in-process and the socket run tests.
enum RunSteps {
    /// Creates a pipeline and triggers it; returns (pipeline id, run id).
    static func startRun(_ api: some RequestSending, _ document: String) throws -> (String, String) {
        let id = try #require(
            api.request("POST", "/v1/pipelines", body: document, headers: [:])?.json?["id"] as? String)
        let trigger = try #require(api.request("POST", "/v1/pipelines/\(id)/trigger", body: nil, headers: [:]))
        #expect(trigger.status == 200)
        #expect(trigger.json?["message"] as? String == "Pipeline triggered successfully.")
        let runID = try #require(trigger.json?["run_id"] as? String)
        #expect(trigger.header("Location") == "/v1/pipelines/\(id)/runs/\(runID)")
        return (id, runID)
    }

    static func stageStatuses(_ api: some RequestSending, _ id: String, _ runID: String) -> (String?, [String]) {
        let run = api.request("GET", "/v1/pipelines/\(id)/runs/\(runID)", body: nil, headers: [:])?.json
        let stages = (run?["stages"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
        return (run?["status"] as? String, stages)
    }
}
