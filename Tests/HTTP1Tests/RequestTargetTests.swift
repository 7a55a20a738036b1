import HTTP1
import Testing

struct RequestTargetTests {
    private func items(_ target: String) -> [[String]]? {
        RequestTarget(target)?.queryItems.map { [$0.name, $0.value] }
    }

    @Test func pathIsSplitBeforePercentDecoding() {
        let target = RequestTarget("/v1/pipelines/p1/stages/a%2Fb/result?x=1")
        #expect(target?.path == "/v1/pipelines/p1/stages/a%2Fb/result")
        #expect(target?.pathSegments == ["v1", "pipelines", "p1", "stages", "a%2Fb", "result"])
        #expect(target?.pathSegments.map { PercentDecoding.decode($0) } == ["v1", "pipelines", "p1", "stages", "a/b", "result"])
    }

    @Test func rootHasNoSegmentsAndATrailingSlashLeavesAnEmptyOne() {
        #expect(RequestTarget("/")?.pathSegments == [])
        #expect(RequestTarget("/v1/pipelines/")?.pathSegments == ["v1", "pipelines", ""])
        #expect(RequestTarget("/a//b")?.pathSegments == ["a", "", "b"])
    }

    @Test func percentDecodingRejectsMalformedEscapesAndInvalidUTF8() {
        #expect(PercentDecoding.decode("caf%C3%A9%20x") == "café x")
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a%2") == nil)
        #expect(PercentDecoding.decode("a%zz") == nil)
        #expect(PercentDecoding.decode("a%FF") == nil)
    }

    @Test func queryIsSplitIntoDecodedItems() {
        #expect(items("/v1/pipelines?limit=5&cursor=a%3Db+c&flag&&x=1=2#frag")
            == [["limit", "5"], ["cursor", "a=b c"], ["flag", ""], ["x", "1=2"]])
        #expect(items("/a") == [])
        #expect(items("/a?") == [])
        #expect(RequestTarget("/?x=%") == nil)
    }

    @Test func absoluteFormTargetsRouteByTheirPath() {
        #expect(RequestTarget("http://example.com:80/v1/x?y=1")?.pathSegments == ["v1", "x"])
        #expect(RequestTarget("HTTPS://example.com?y=1")?.path == "/")
        #expect(items("HTTPS://example.com?y=1") == [["y", "1"]])
        #expect(RequestTarget("http://example.com")?.pathSegments == [])
    }

    @Test func asteriskAndAuthorityFormsAreNotPaths() {
        #expect(RequestTarget("*") == nil)
        #expect(RequestTarget("example.com:443") == nil)
    }
}
