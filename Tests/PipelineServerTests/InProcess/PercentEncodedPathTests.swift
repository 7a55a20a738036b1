import Foundation
import Testing

/// Percent-encoded unreserved characters in a path are the characters themselves (RFC 3986
/// §6.2.2.2); paths are still split on `/` before decoding, so `%2F` stays inside a segment.
struct PercentEncodedPathTests {
    /// Every byte of `text` as a `%XX` escape.
    static func fullyEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return "%" + (hex.count == 1 ? "0" + hex : hex)
        }.joined()
    }

    @Test func encodedLiteralSegmentsRouteLikeTheirCharacters() throws {
        let server = try InProcessServer()
        let statuses = synchronously { () -> [Int?] in
            let client = server.api()
            let withAuth = ["/%68ealthz", "/%76%31/pipelines", "/v1/%70ipelines"].map {
                client.request("GET", $0)?.status
            }
            client.authorization = nil
            // Without credentials an encoded `/v1` is still under `/v1`: 401, not 404.
            return withAuth + [
                client.request("GET", "/%761/pipelines")?.status, client.request("GET", "/%2Fhealthz")?.status,
            ]
        }
        #expect(statuses == [200, 200, 200, 401, 404])
    }

    @Test func aFullyEncodedPipelineIDFindsThePipeline() throws {
        let server = try InProcessServer()
        let (id, found) = synchronously { () -> (String?, HTTPReply?) in
            let client = server.api()
            let id = client.request("POST", "/v1/pipelines", body: sampleDocument)?.json?["id"] as? String
            let found = id.flatMap { client.request("GET", "/%76%31/%70ipelines/" + Self.fullyEncoded($0)) }
            return (id, found)
        }
        #expect(found?.status == 200)
        #expect(found?.json?["id"] as? String == id)
    }

    @Test func anIDThatDoesNotDecodeIsNotFound() throws {
        let server = try InProcessServer()
        let statuses = synchronously { () -> [Int?] in
            let client = server.api()
            guard let id = client.request("POST", "/v1/pipelines", body: sampleDocument)?.json?["id"] as? String
            else { return [] }
            return [
                "/v1/pipelines/%zz", "/v1/pipelines/%FF", "/v1/pipelines/\(id)%", "/v1/pipelines/\(id.uppercased())",
            ]
            .map { client.request("GET", $0)?.status }
        }
        #expect(statuses == [404, 404, 404, 404])
    }

    @Test func anEncodedSlashStaysInsideItsStageSegment() throws {
        let server = try InProcessServer()
        let statuses = synchronously { () -> [Int?] in
            let client = server.api()
            guard
                let id = client.request("POST", "/v1/pipelines", body: runStagesDocument([("a/b", 60)]))?.json?["id"]
                    as? String,
                let run = client.request("POST", "/v1/pipelines/\(id)/trigger")?.json?["run_id"] as? String
            else { return [] }
            let base = "/v1/pipelines/\(id)/runs/\(run)/stages/"
            let body = #"{"status": "succeeded"}"#
            return [
                client.request("POST", base + "a/b/result", body: body)?.status,
                client.request("POST", base + "%61%2F%62/result", body: body)?.status,
            ]
        }
        #expect(statuses == [404, 200])
    }
}
