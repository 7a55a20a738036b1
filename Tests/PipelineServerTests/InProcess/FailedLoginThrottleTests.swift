import Foundation
import Logging
import TestSupport
import Testing

@testable import PipelineServer

/// Failed logins per client address: the tenth within a minute throttles the address (429 with
/// `Retry-After` on every `/v1` request, decided before credentials or body), each further
/// throttle lasts twice as long, a correct login afterwards resets it, and each throttle is
/// one log line. Time is the manual clock; nothing sleeps.
struct FailedLoginThrottleTests {
    static let wrong = "Basic " + Data("admin:wrong".utf8).base64EncodedString()
    static let right = "Basic " + Data("admin:admin".utf8).base64EncodedString()

    /// `GET /v1/pipelines` on `client` with `authorization`; the answer.
    static func get(_ client: MemoryTransport, _ authorization: String?) -> HTTPReply? {
        client.send(requestBytes("GET", "/v1/pipelines", body: nil, headers: [:], authorization: authorization))
        return client.readResponse()
    }

    /// `count` wrong passwords from `client`; their statuses.
    static func guess(_ client: MemoryTransport, _ count: Int) -> [Int?] {
        (0..<count).map { _ in get(client, wrong)?.status }
    }

    static func throttleLines(_ lines: Locked<[RecordingLogHandler.Line]>) -> [[String: String]] {
        lines.withLock { $0.filter { $0.message == "login_throttled" }.map(\.metadata) }
    }

    @Test func nineFailuresAreAnswered401AndTheTenthThrottlesTheAddressWithOneLogLine() throws {
        let (logger, lines) = RecordingLogHandler.logger()
        let server = try InProcessServer(logger: logger)
        let client = server.connect(from: "10.0.0.1")
        #expect(Self.guess(client, 9) == Array(repeating: 401, count: 9))
        #expect(Self.throttleLines(lines).isEmpty)
        let tenth = Self.get(client, Self.wrong)
        #expect(tenth?.status == 429)
        #expect(tenth?.header("Retry-After") == "1")
        #expect(tenth?.header("Content-Type") == "application/problem+json")
        #expect(tenth?.header("WWW-Authenticate") == nil)
        #expect(tenth?.header("Cache-Control") == "no-store", "an API answer like any other")
        #expect(
            tenth?.json?["detail"] as? String
                == "Too many failed logins from this address; try again after Retry-After seconds.")
        for _ in 0..<5 { #expect(Self.get(client, Self.wrong)?.status == 429) }
        #expect(Self.throttleLines(lines) == [["address": "10.0.0.1", "failed_logins": "10", "retry_after": "1"]])
        #expect(!client.isClosing, "a throttled client keeps its connection")
    }

    @Test func whileThrottledEvenTheRightPasswordAndEveryV1PathAre429ButOtherPathsAreServed() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        _ = Self.guess(client, 10)
        server.advance(milliseconds: 400)
        let right = Self.get(client, Self.right)
        #expect(right?.status == 429, "no credential check while throttled")
        #expect(right?.header("Retry-After") == "1", "0.6 s left, rounded up")
        #expect(Self.get(client, nil)?.status == 429)
        client.send(requestBytes("GET", "/v1/no-such-path", body: nil, headers: [:], authorization: Self.right))
        #expect(client.readResponse()?.status == 429)
        client.send(requestBytes("GET", "/v1/events", body: nil, headers: [:], authorization: Self.right))
        #expect(client.readResponse()?.status == 429)
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.readResponse()?.status == 200, "only /v1 is authenticated, so only /v1 is throttled")
    }

    @Test func anotherAddressIsNotAffected() throws {
        let server = try InProcessServer()
        _ = Self.guess(server.connect(from: "10.0.0.1"), 10)
        let neighbour = server.connect(from: "10.0.0.2")
        #expect(Self.get(neighbour, Self.right)?.status == 200)
        #expect(Self.guess(neighbour, 9) == Array(repeating: 401, count: 9))
        let sameAddress = server.connect(from: "10.0.0.1")
        #expect(Self.get(sameAddress, Self.right)?.status == 429, "a new connection does not escape it")
    }

    @Test func theThrottleEndsAndEachFurtherOneDoublesUpToFiveMinutes() throws {
        let (logger, lines) = RecordingLogHandler.logger()
        let server = try InProcessServer(logger: logger)
        var periods: [String] = []
        for _ in 0..<12 {
            let client = server.connect(from: "10.0.0.1")  // the last one idled out meanwhile
            #expect(Self.guess(client, 9) == Array(repeating: 401, count: 9), "the throttle ended: checked again")
            let tenth = Self.get(client, Self.wrong)
            #expect(tenth?.status == 429)
            periods.append(tenth?.header("Retry-After") ?? "")
            let seconds = UInt64(periods.last ?? "") ?? 1
            server.advance(milliseconds: seconds * 1000 - 1)
            #expect(Self.get(server.connect(from: "10.0.0.1"), Self.right)?.status == 429, "not yet over")
            server.advance(milliseconds: 1)
        }
        let expected = ["1", "2", "4", "8", "16", "32", "64", "128", "256", "300", "300", "300"]
        #expect(periods == expected)
        #expect(Self.throttleLines(lines).map { $0["retry_after"] ?? "" } == expected)
        #expect(Self.throttleLines(lines).last?["failed_logins"] == "120")
    }

    @Test func aCorrectLoginAfterTheThrottleResetsTheCountAndTheDoubling() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        _ = Self.guess(client, 10)
        server.advance(milliseconds: 1_000)
        _ = Self.guess(client, 10)  // a second throttle: 2 s
        server.advance(milliseconds: 2_000)
        #expect(Self.get(client, Self.right)?.status == 200)
        #expect(Self.guess(client, 9) == Array(repeating: 401, count: 9), "the count started again")
        let tenth = Self.get(client, Self.wrong)
        #expect(tenth?.header("Retry-After") == "1", "and so did the doubling")
    }

    @Test func aCorrectLoginBeforeTheLimitResetsTheCount() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        _ = Self.guess(client, 9)
        #expect(Self.get(client, Self.right)?.status == 200)
        #expect(Self.guess(client, 9) == Array(repeating: 401, count: 9))
    }

    @Test func requestsWithoutCredentialsAreNoLoginAttempts() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        let none = (0..<30).map { _ in Self.get(client, nil)?.status }
        let otherScheme = (0..<30).map { _ in Self.get(client, "Bearer abc")?.status }
        let emptyToken = (0..<30).map { _ in Self.get(client, "Basic ")?.status }
        #expect((none + otherScheme + emptyToken).allSatisfy { $0 == 401 })
        #expect(server.server.loginThrottle.isEmpty)
        #expect(Self.get(client, Self.right)?.status == 200)
    }

    @Test func malformedCredentialsCountAsFailures() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        let notBase64 = (0..<5).map { _ in Self.get(client, "Basic !!!")?.status }
        let noColon = (0..<4).map { _ in Self.get(client, "Basic " + Data("admin".utf8).base64EncodedString())?.status }
        #expect((notBase64 + noColon).allSatisfy { $0 == 401 })
        #expect(Self.get(client, "Basic !!!")?.status == 429)
    }

    @Test func failuresFurtherApartThanTheWindowDoNotAddUp() throws {
        let server = try InProcessServer()
        let client = server.connect(from: "10.0.0.1")
        #expect(Self.guess(client, 9) == Array(repeating: 401, count: 9))
        server.advance(milliseconds: 60_000)
        let later = server.connect(from: "10.0.0.1")  // the first idled out meanwhile
        #expect(Self.guess(later, 9) == Array(repeating: 401, count: 9))
    }

    @Test func theFlagsSetTheLimitAndTheWindowAndZeroTurnsItOff() throws {
        let strict = try InProcessServer {
            $0.maxFailedLogins = 3
            $0.failedLoginWindowMilliseconds = 5_000
        }
        let client = strict.connect(from: "10.0.0.1")
        #expect(Self.guess(client, 3) == [401, 401, 429])
        strict.advance(milliseconds: 1_000)
        _ = Self.guess(client, 2)
        strict.advance(milliseconds: 5_000)
        #expect(Self.guess(client, 2) == [401, 401], "the window of 5 s passed")
        let off = try InProcessServer { $0.maxFailedLogins = 0 }
        #expect(Self.guess(off.connect(from: "10.0.0.1"), 100).allSatisfy { $0 == 401 })
        #expect(off.server.loginThrottle.isEmpty)
    }

    @Test func aThrottledRequestWithABodyIsRefusedFromItsHeadBeforeAnyBodyByte() throws {
        let server = try InProcessServer()
        _ = Self.guess(server.connect(from: "10.0.0.1"), 10)
        let large = server.connect(from: "10.0.0.1")
        large.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: \(Self.right)\r\nContent-Length: 1048576\r\n\r\n")
        let refused = large.readResponse()
        #expect(refused?.status == 429, "answered with no body byte sent")
        #expect(refused?.header("Connection") == "close")
        #expect(large.state == .closedGracefully)

        let expecting = server.connect(from: "10.0.0.1")
        expecting.send(
            "PUT /v1/pipelines/x HTTP/1.1\r\nHost: t\r\nAuthorization: \(Self.right)\r\nContent-Length: 2\r\n"
                + "Expect: 100-continue\r\n\r\n")
        #expect(expecting.readResponse()?.status == 429, "no 100 Continue first")
        #expect(expecting.state == .closedGracefully)

        let small = server.connect(from: "10.0.0.1")
        small.send(
            "POST /v1/pipelines HTTP/1.1\r\nHost: t\r\nAuthorization: \(Self.right)\r\nContent-Length: 2\r\n\r\n")
        small.send("{}GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(small.readResponse()?.status == 429, "a small body is read and dropped, as after a 401")
        #expect(small.readResponse()?.status == 200)
    }

    @Test func theTableHoldsItsCapacityAndAThrottledAddressOutlastsARotatingFlood() throws {
        let server = try InProcessServer { $0.failedLoginAddresses = 100 }
        let throttled = server.connect(from: "10.0.0.1")
        _ = Self.guess(throttled, 10)
        var largest = 0
        for index in 0..<1_000 {
            let client = server.connect(from: "10.1.\(index / 256).\(index % 256)")
            #expect(Self.get(client, Self.wrong)?.status == 401)
            largest = max(largest, server.server.loginThrottle.count)
        }
        #expect(largest <= 100)
        #expect(Self.get(throttled, Self.right)?.status == 429, "still throttled after 1,000 other addresses")
    }

    @Test func expiredAddressesAreForgottenBySweeping() throws {
        let server = try InProcessServer()
        for index in 0..<50 { _ = Self.get(server.connect(from: "10.0.0.\(index)"), Self.wrong) }
        _ = Self.guess(server.connect(from: "10.0.1.1"), 10)
        #expect(server.server.loginThrottle.count == 51)
        server.advance(milliseconds: 60_000)
        #expect(server.server.loginThrottle.count == 1, "the window passed; the throttled one is remembered")
        server.advance(milliseconds: 301_000)
        #expect(server.server.loginThrottle.isEmpty)
    }
}
