import Foundation
import PipelineClient

/// Turns an error answer into sentences for standard error: the server's `detail`, the status, and
/// for a 422 each invalid field with its message, so a person need not read problem JSON.
struct ProblemReport {
    /// The first line is the sentence; any further lines are `field: message` pairs.
    let lines: [String]

    init(_ response: APIResponse) {
        let problem = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let detail = (problem["detail"] as? String) ?? (problem["title"] as? String)
        var sentence: String
        switch response.status {
        case 412:
            let now = response.etag.map { " (its ETag is now \($0))" } ?? ""
            sentence =
                "the pipeline was changed since it was read\(now); nothing was changed. "
                + "Get it again (get-pipeline --etag) and retry with the new ETag"
        default:
            sentence = detail ?? "the server answered HTTP \(response.status)"
        }
        if !sentence.hasSuffix(".") { sentence += "." }
        var lines = ["\(sentence) (HTTP \(response.status))"]
        for case let error as [String: Any] in problem["errors"] as? [Any] ?? [] {
            lines.append("\(error["field"] as? String ?? "?"): \(error["message"] as? String ?? "")")
        }
        self.lines = lines
    }
}
