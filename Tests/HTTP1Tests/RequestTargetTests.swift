import HTTP1
import Testing

struct RequestTargetTests {
    @Test func pathIsSplitBeforePercentDecoding() {
        let target = RequestTarget("/v1/pipelines/p1/runs/r1/stages/a%2Fb/result")
        #expect(target.segments == ["v1", "pipelines", "p1", "runs", "r1", "stages", "a/b", "result"])
        #expect(RequestTarget("/caf%C3%A9%20x").segments == ["café x"])
    }

    @Test func trailingSlashAddsNoSegment() {
        #expect(RequestTarget("/v1/pipelines/").segments == ["v1", "pipelines"])
        #expect(RequestTarget("/v1/pipelines").segments == ["v1", "pipelines"])
        #expect(RequestTarget("/").segments == [])
        #expect(RequestTarget("/a//b").segments == ["a", "", "b"])
    }

    @Test func malformedEscapesAndInvalidUTF8AreRejected() {
        #expect(RequestTarget("/a%2").segments == nil)
        #expect(RequestTarget("/a%zz").segments == nil)
        #expect(RequestTarget("/a%FF").segments == nil)
        #expect(RequestTarget("/?x=%").queryItems == nil)
    }

    @Test func queryIsSplitIntoDecodedItems() {
        let target = RequestTarget("/v1/pipelines?limit=5&cursor=a%3Db+c&flag&&x=1=2#frag")
        #expect(target.path == "/v1/pipelines")
        #expect(target.query == "limit=5&cursor=a%3Db+c&flag&&x=1=2")
        let items = target.queryItems?.map { [$0.name, $0.value] }
        #expect(items == [["limit", "5"], ["cursor", "a=b c"], ["flag", ""], ["x", "1=2"]])
        #expect(target.queryValue("cursor") == "a=b c")
        #expect(target.queryValue("missing") == nil)
        #expect(RequestTarget("/a").query == nil)
        #expect(RequestTarget("/a").queryItems?.isEmpty == true)
    }

    @Test func absoluteFormTargetsRouteByTheirPath() {
        #expect(RequestTarget("http://example.com:80/v1/x?y=1").path == "/v1/x")
        #expect(RequestTarget("HTTPS://example.com?y=1").path == "/")
        #expect(RequestTarget("HTTPS://example.com?y=1").queryValue("y") == "1")
        #expect(RequestTarget("http://example.com").segments == [])
    }

    @Test func aFragmentEndsThePathAndTheQuery() {
        #expect(RequestTarget("/a/b#x?y").path == "/a/b")
        #expect(RequestTarget("/a/b#x?y").query == nil)
        #expect(RequestTarget("http://example.com#x").path == "/")
        #expect(RequestTarget("/a?b=1#c").query == "b=1")
    }

    /// The segments know whether the path had an escape, and so look for one only then.
    @Test func onlyAnEscapeInThePathMakesASegmentUndecodable() {
        #expect(RequestTarget("/x/a?q=%zz").pathSegments.isDecodable(1), "an escape in the query is not in the path")
        #expect(RequestTarget("/x/%70").pathSegments.decoded(1) == "p")
        #expect(RequestTarget("/x/%zz").pathSegments.isDecodable(1) == false)
        #expect(RequestTarget("/x/%41").pathSegments.isDecodable(1))
        #expect(RequestTarget("/x/a").pathSegments.isDecodable(1))
    }

    /// The segments split in the target's one pass are the ones the path alone splits into.
    @Test(arguments: [
        "/", "//", "/a", "/a/", "/a//", "/v1/a/b?x=/y", "/a//b#/c", "/%61/b%2Fc", "http://h", "http://h/a/b/",
        "https://h?q=/", "http://h#/f", "*",
    ])
    func targetSegmentsMatchThePathsOwn(target: String) {
        let parsed = RequestTarget(target)
        let fromPath = PathSegments(parsed.path)
        #expect(parsed.pathSegments.count == fromPath.count)
        for index in 0..<min(fromPath.count, PathSegments.capacity) {
            #expect(parsed.pathSegments.decoded(index) == fromPath.decoded(index))
        }
    }

    /// A request's target read in place from its head's buffer splits as its text does.
    @Test(arguments: ["/v1/pipelines/p1?limit=5&cursor=a%3Db", "http://h:8080/a/%62/?q=1#f", "HTTPS://h?x", "*"])
    func targetReadInPlaceMatchesItsText(target: String) throws {
        let head = try #require(expectRequest("OPTIONS \(target) HTTP/1.1\r\nHost: h\r\nX: y\r\n\r\n")?.head)
        let inPlace = RequestTarget(head)
        let fromText = RequestTarget(target)
        #expect(head.target == target)
        #expect(inPlace.path == fromText.path && inPlace.query == fromText.query)
        #expect(inPlace.isOriginPath == (target != "*"))
        #expect(inPlace.segments == fromText.segments)
        #expect(inPlace.queryItems?.map(\.value) == fromText.queryItems?.map(\.value))
        #expect(head.headers["x"] == "y", "the fields follow the target in the same buffer")
    }

    @Test func plusIsLiteralInPathSegments() {
        #expect(RequestTarget("/a+b").segments == ["a+b"])
    }
}
