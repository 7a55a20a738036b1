import Foundation
import TestSupport
import Testing

/// Password guessing on the real binary over loopback: one address that sends wrong passwords
/// as fast as it can is throttled (429 with `Retry-After`, doubling), with one `login_throttled`
/// log line per throttle, while another address logs in. Prints how many guesses were checked.
extension AttackTests {
    @Suite struct PasswordGuessing {
        static let wrong = "Basic " + Data("admin:wrong".utf8).base64EncodedString()
        static let right = "Basic " + Data("admin:admin".utf8).base64EncodedString()

        /// Wrong passwords over one keep-alive connection for `seconds`: each answer's status
        /// and `Retry-After`.
        static func guess(port: Int, seconds: Double) throws -> [(status: Int?, retryAfter: String?)] {
            let client = try RawClient(port: port)
            let request = requestBytes("GET", "/v1/pipelines", body: nil, headers: [:], authorization: wrong)
            var answers: [(status: Int?, retryAfter: String?)] = []
            let start = Date()
            while Date().timeIntervalSince(start) < seconds {
                client.send(request)
                let reply = client.readResponse()
                answers.append((reply?.status, reply?.header("Retry-After")))
                if reply == nil { break }
            }
            return answers
        }

        /// The `login_throttled` lines of `log`, as their `key=value` fields.
        static func throttleLines(in log: String) -> [[String: String]] {
            log.split(separator: "\n").filter { $0.contains(" login_throttled ") }.map { line in
                Dictionary(
                    line.split(separator: " ").compactMap { field -> (String, String)? in
                        let parts = field.split(separator: "=", maxSplits: 1)
                        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                    }, uniquingKeysWith: { $1 })
            }
        }

        /// 4.5 s of wrong passwords from 127.0.0.1 as fast as one connection goes: throttled
        /// after each tenth failure, for 1 s, 2 s, 4 s, so a few dozen guesses are checked instead
        /// of every one (the same storm with `--max-failed-logins 0`, run first, is the
        /// comparison); each throttle is one log line naming the address, its failed logins and
        /// the retry-after; 127.0.0.2 logs in meanwhile.
        @Test func guessingPasswordsIsThrottledWithOneLogLinePerThrottle() async throws {
            let unthrottled = try ServerHarness(["--max-failed-logins", "0"])
            let open = try await onThread { try Self.guess(port: unthrottled.port, seconds: 1) }
            _ = unthrottled.stop()
            #expect(open.allSatisfy { $0.status == 401 })

            let server = try ServerHarness()
            defer { _ = server.stop() }
            let (answers, bystander) = try await onThread { () -> ([(status: Int?, retryAfter: String?)], Int?) in
                let answers = try Self.guess(port: server.port, seconds: 4.5)
                let neighbour = try RawClient(port: server.port, source: "127.0.0.2")
                neighbour.send(requestBytes("GET", "/v1/pipelines", body: nil, headers: [:], authorization: Self.right))
                return (answers, neighbour.readResponse()?.status)
            }
            let checked = answers.filter { $0.status == 401 }.count
            // A throttle starts with a 429 right after a 401: the tenth failure of a run.
            let starts = answers.indices.filter { index in
                answers[index].status == 429 && (index == 0 || answers[index - 1].status == 401)
            }
            let periods = starts.map { answers[$0].retryAfter ?? "" }
            let logged = DroppedSubscriberDrainTests.waitFor(seconds: 5) {
                Self.throttleLines(in: server.log).count >= starts.count
            }
            let lines = Self.throttleLines(in: server.log)
            print(
                "password guessing from one address: \(open.count) guesses checked in 1 s unthrottled; throttled, "
                    + "\(answers.count) requests in 4.5 s, \(checked + starts.count) guesses checked, "
                    + "\(starts.count) throttles (Retry-After \(periods.joined(separator: ", ")) s), "
                    + "\(lines.count) login_throttled lines")
            #expect(answers.allSatisfy { $0.status == 401 || $0.status == 429 })
            #expect(answers.count > 100, "the storm went on while throttled")
            // Nine 401s before each throttle, and fewer than ten after the last one ended.
            #expect(checked >= 9 * starts.count && checked < 9 * starts.count + 10, "\(checked) checked")
            #expect(periods.starts(with: ["1", "2"]), "\(periods)")
            #expect(logged != nil)
            #expect(lines.count == starts.count, "one line per throttle, none per refused request")
            #expect(lines.map { $0["retry_after"] ?? "" } == periods)
            #expect(lines.map { $0["failed_logins"] ?? "" } == starts.indices.map { "\(10 * ($0 + 1))" })
            #expect(lines.allSatisfy { $0["address"] == "127.0.0.1" })
            #expect(bystander == 200, "another address is not throttled")
        }
    }
}
