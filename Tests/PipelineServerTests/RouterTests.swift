import HTTP1
import Testing

@testable import PipelineServer

/// The route table's matching: patterns are tried in order, by segment count, literals and
/// parameters, on the raw path.
struct RouterTests {
    static func router() -> Router {
        var router = Router()
        let answer: Router.Handler = { _ in .response(Response(status: .ok)) }
        router.add("GET", "/", authenticated: false, answer)
        router.add("GET", "/healthz", authenticated: false, answer)
        router.add("GET", "/v1/pipelines", answer)
        router.add("GET", "/v1/pipelines/{id}", answer)
        router.add("PUT", "/v1/pipelines/{id}", answer)
        router.add("GET", "/v1/pipelines/{id}/runs/{run_id}", answer)
        return router
    }

    /// The template of the route `method path` finds, or what it finds instead.
    static func outcome(_ method: String, _ path: String) -> String {
        switch router().match(method: method, path: PathSegments(Substring(path))) {
        case .found(let route): route.template
        case .methodNotAllowed(let allowed, _): "405 " + allowed.joined(separator: ",")
        case .notFound(let requiresAuthentication): requiresAuthentication ? "404 /v1" : "404"
        }
    }

    @Test func patternsMatchByCountLiteralsAndParameters() {
        #expect(Self.outcome("GET", "/") == "/")
        #expect(Self.outcome("GET", "/healthz") == "/healthz")
        #expect(Self.outcome("GET", "/healthz/") == "/healthz", "one trailing slash is the same path")
        #expect(Self.outcome("GET", "/v1/pipelines") == "/v1/pipelines")
        #expect(Self.outcome("GET", "/v1/pipelines/abc") == "/v1/pipelines/{id}")
        #expect(Self.outcome("HEAD", "/v1/pipelines/abc") == "/v1/pipelines/{id}", "HEAD matches GET")
        #expect(Self.outcome("GET", "/v1/pipelines/a/runs/b") == "/v1/pipelines/{id}/runs/{run_id}")
    }

    @Test func literalsMatchTheirEscapedSpelling() {
        #expect(Self.outcome("GET", "/%68ealthz") == "/healthz")
        #expect(Self.outcome("GET", "/v1/%70ipelines/abc") == "/v1/pipelines/{id}")
        #expect(Self.outcome("GET", "/%2Fhealthz") == "404", "an escaped slash is not a path separator")
    }

    @Test func mismatchesAreNotFoundOrNotAllowed() {
        #expect(Self.outcome("GET", "/v1/pipeline/abc") == "404 /v1", "a literal differs")
        #expect(Self.outcome("GET", "/v1/pipelines/abc/runs") == "404 /v1", "no pattern of that length")
        #expect(Self.outcome("GET", "/v1/pipelines//runs/b") == "404 /v1", "an empty parameter")
        #expect(Self.outcome("GET", "/v1/pipelines/%FF") == "404 /v1", "a parameter that is not UTF-8")
        #expect(Self.outcome("DELETE", "/v1/pipelines/abc") == "405 GET,HEAD,PUT")
    }
}
