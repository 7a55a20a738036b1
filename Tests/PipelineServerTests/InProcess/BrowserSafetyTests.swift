import Foundation
import Testing

@testable import PipelineServer

/// A web page must not be able to use a visitor's browser against the
/// server — not by DNS rebinding (a foreign `Host`), not by a cross-site form or `fetch` (a
/// foreign `Origin`, a `text/plain` or form body), and `/v1` answers are neither sniffed nor cached.
struct BrowserSafetyTests {
    static let basic = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    /// One request with exactly the given `Host` (nil: none, over HTTP/1.0) and extra fields.
    func send(
        _ server: InProcessServer, _ method: String, _ path: String, host: String?, fields: [String] = [],
        body: String? = nil
    ) -> HTTPReply? {
        let client = server.connect()
        var head = "\(method) \(path) HTTP/\(host == nil ? "1.0" : "1.1")\r\nAuthorization: \(Self.basic)\r\n"
        if let host { head += "Host: \(host)\r\n" }
        for field in fields { head += field + "\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        client.send(head + "\r\n" + (body ?? ""))
        return client.readResponse(toHEAD: method == "HEAD")
    }

    @Test func onLoopbackOnlyLoopbackNamesAreAcceptedInHost() throws {
        let server = try InProcessServer { $0.allowedHosts = [] }
        let accepted = [
            "localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080", "LocalHost:1",
        ]
        let refused = [
            "evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example:80",
            "localhost:80x", "[::1", "t",
        ]
        let statuses = synchronously {
            (accepted + refused).map { send(server, "GET", "/v1/pipelines", host: $0)?.status }
        }
        #expect(statuses == accepted.map { _ in 200 } + refused.map { _ in 421 })
        let reply = synchronously { send(server, "GET", "/healthz", host: "rebound.evil.example:8080") }
        #expect(reply?.status == 421)  // unauthenticated routes too: a rebinding page learns nothing
        #expect((reply?.json?["detail"] as? String)?.contains("--allowed-host") == true)
        #expect(synchronously { send(server, "GET", "/healthz", host: nil)?.status } == 200)  // HTTP/1.0 sends none
    }

    /// The server remembers the last `Host` it accepted: a refused one in between is still refused,
    /// however often an accepted one came before and after it.
    @Test func anAcceptedHostDoesNotLetTheNextOneThrough() throws {
        let server = try InProcessServer { $0.allowedHosts = [] }
        let hosts = ["localhost:1", "localhost:1", "evil.example", "localhost:1", "evil.example", "evil.example"]
        let statuses = synchronously { hosts.map { send(server, "GET", "/healthz", host: $0)?.status } }
        #expect(statuses == [200, 200, 421, 200, 421, 421])
    }

    @Test func allowedHostAddsNamesAndOffLoopbackAnyHostIsAcceptedUnlessNamesAreGiven() throws {
        let named = try InProcessServer { $0.allowedHosts = ["ci.example.com"] }
        #expect(
            synchronously {
                ["CI.example.com:443", "localhost", "other.example"].map {
                    send(named, "GET", "/healthz", host: $0)?.status
                }
            }
                == [200, 200, 421])
        let open = try InProcessServer {
            $0.host = "0.0.0.0"
            $0.allowedHosts = []
        }
        #expect(synchronously { send(open, "GET", "/healthz", host: "anything.example")?.status } == 200)
        let exposed = try InProcessServer {
            $0.host = "10.1.2.3"
            $0.allowedHosts = ["ci.example.com"]
        }
        #expect(
            synchronously {
                ["10.1.2.3:8080", "ci.example.com", "anything.example"].map {
                    send(exposed, "GET", "/healthz", host: $0)?.status
                }
            }
                == [200, 200, 421])
    }

    @Test func aCrossSiteOriginMayNotWrite() throws {
        let server = try InProcessServer()
        let document = runStagesDocument([("build", 60)])
        let json = "Content-Type: application/json"
        let cases: [(origin: String, status: Int)] = [
            ("https://evil.example", 403), ("null", 403), ("http://t:8080", 403), ("http://localhost", 403),
            ("http://t", 201), ("HTTP://T:80", 201),
        ]
        let statuses = synchronously {
            cases.map {
                send(
                    server, "POST", "/v1/pipelines", host: "t", fields: ["Origin: \($0.origin)", json], body: document)?
                    .status
            }
        }
        #expect(statuses == cases.map(\.status))
        let onPort = synchronously {
            send(
                server, "POST", "/v1/pipelines", host: "localhost:8080",
                fields: ["Origin: http://localhost:8080", json], body: document)
        }
        #expect(onPort?.status == 201)
        // Reads are not writes: a cross-site GET cannot read the answer anyway (no CORS).
        #expect(
            synchronously {
                send(server, "GET", "/v1/pipelines", host: "t", fields: ["Origin: https://evil.example"])?.status
            } == 200)
        let refusal = synchronously {
            send(server, "DELETE", "/v1/pipelines/x", host: "t", fields: ["Origin: https://evil.example"])
        }
        #expect(refusal?.status == 403)
        #expect(refusal?.header("Content-Type") == "application/problem+json")
    }

    @Test func requestBodiesAreJSONOnly() throws {
        let server = try InProcessServer()
        let document = runStagesDocument([("build", 60)])
        let accepted = [
            "application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json",
        ]
        let refused = [
            "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonp", "text/json", "application/+json", "",
        ]
        let statuses = synchronously {
            (accepted + refused).map {
                send(server, "POST", "/v1/pipelines", host: "t", fields: ["Content-Type: \($0)"], body: document)?
                    .status
            }
        }
        #expect(statuses == accepted.map { _ in 201 } + refused.map { _ in 415 })
        // No Content-Type at all (curl -d … -H 'Content-Type:'): accepted.
        #expect(synchronously { send(server, "POST", "/v1/pipelines", host: "t", body: document)?.status } == 201)
        let refusal = synchronously {
            send(
                server, "POST", "/v1/pipelines", host: "t", fields: ["Content-Type: application/x-www-form-urlencoded"],
                body: document)
        }
        #expect((refusal?.json?["detail"] as? String)?.contains("curl") == true)
        #expect((refusal?.json?["detail"] as? String)?.contains("--json") == true)
        // A body-less write with a form type is refused too: the type alone says a form sent it.
        let trigger = synchronously {
            send(server, "POST", "/v1/pipelines/x/trigger", host: "t", fields: ["Content-Type: text/plain"])
        }
        #expect(trigger?.status == 415)
    }

    @Test func aRefusedTypeIsAnsweredBeforeTheBodyIsSent() throws {
        let server = try InProcessServer()
        let client = synchronously { server.connect() }
        client.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: \(Self.basic)\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n")
        #expect(client.readResponse()?.status == 415)
        #expect(client.isClosing)
    }

    @Test func apiAnswersAreNeitherSniffedNorCached() throws {
        let server = try InProcessServer()
        let replies = synchronously { () -> [HTTPReply?] in
            let api = server.api()
            let id =
                api.request("POST", "/v1/pipelines", body: runStagesDocument([("build", 60)]))?.json?["id"] as? String
                ?? "none"
            let unauthenticated = MemoryAPIClient(server.connect())
            unauthenticated.authorization = nil
            return [
                api.request("GET", "/v1/pipelines/\(id)"), api.request("HEAD", "/v1/pipelines/\(id)"),
                api.request("GET", "/v1/pipelines/missing"), api.request("PATCH", "/v1/pipelines"),
                unauthenticated.request("GET", "/v1/pipelines"),
            ]
        }
        for reply in replies {
            #expect(reply?.header("X-Content-Type-Options") == "nosniff", "\(reply?.status ?? 0)")
            #expect(reply?.header("Cache-Control") == "no-store", "\(reply?.status ?? 0)")
        }
        let health = synchronously { server.api().request("GET", "/healthz") }
        #expect(health?.header("Cache-Control") == nil)  // probes and the OpenAPI document may be cached
    }
}
