import Foundation
import HTTP1
import Testing

/// One entry of a peer parser's request corpus (llhttp's request fixtures as data), which lives
/// outside this repository: in a working copy laid out beside it, at `../shared/http-corpus`.
/// Our own parser tests are the primary cover; the corpus is a second opinion when it is there.
struct CorpusEntry: Decodable, CustomTestStringConvertible {
    struct Message: Decodable {
        var method: String?
        var url: String?
        var version: String?
        var headers: [[String]]
        var complete: Bool
        var bodyBase64: String?

        enum CodingKeys: String, CodingKey {
            case method, url, version, headers, complete
            case bodyBase64 = "body_base64"
        }
    }

    var name: String
    var llhttpMode: String
    var rawBase64: String
    var expect: String
    var messages: [Message]
    var messagesCompleted: Int
    var upgrade: [String: CorpusValue]?
    var notes: String

    enum CodingKeys: String, CodingKey {
        case name, expect, messages, upgrade, notes
        case llhttpMode = "llhttp_mode"
        case rawBase64 = "raw_base64"
        case messagesCompleted = "messages_completed"
    }

    var testDescription: String { name }
    var raw: [UInt8] { [UInt8](Data(base64Encoded: rawBase64)!) }

    /// Where the corpus is expected: beside the repository, not inside it.
    static let file: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/http-corpus/requests.json").standardizedFileURL

    static let isPresent = FileManager.default.fileExists(atPath: file.path)

    /// Every entry, or none when the corpus is absent or unreadable; `corpusHasEveryEntry` fails
    /// in the second case, so the suite never passes by having nothing to check.
    static let all: [CorpusEntry] = {
        guard isPresent, let data = try? Data(contentsOf: file) else { return [] }
        return (try? JSONDecoder().decode([CorpusEntry].self, from: data)) ?? []
    }()
}

/// Any JSON scalar; only the presence of `upgrade` matters here.
enum CorpusValue: Decodable {
    case value
    init(from decoder: any Decoder) throws { self = .value }
}

/// Entries where this parser deliberately decides otherwise than llhttp, with the reason.
let deliberateDifferences: [String: (expect: String, reason: String)] = [
    "Invalid method": ("ok", "any token is a method here (RFC 9110 §9.1); routing answers unknown methods"),
    "HTTP protocol and ANNOUNCE method": ("ok", "any token is a method here; routing answers unknown methods"),
    "No HTTP version": ("error", "HTTP/0.9 simple requests are not supported: 400"),
    "POST with `chunked` as last transfer-encoding": ("error", "only chunked is implemented: deflate gets 501"),
    "POST with `chunked` as last transfer-encoding (multiple headers)":
        ("error", "only chunked is implemented: deflate gets 501"),
]

@Suite(.enabled(if: CorpusEntry.isPresent, "no peer corpus at ../shared/http-corpus beside this clone"))
struct CorpusTests {
    @Test func corpusHasEveryEntry() {
        #expect(CorpusEntry.all.count == 136)
    }

    @Test(arguments: CorpusEntry.all)
    func corpusEntry(_ entry: CorpusEntry) {
        let raw = entry.raw
        let finish = entry.llhttpMode == "request-finish"
        let isOtherProtocol = entry.notes.contains("an HTTP-only server should reject it")
        let expect = deliberateDifferences[entry.name]?.expect ?? (isOtherProtocol ? "error" : entry.expect)
        // Host rules are checked separately below, so the llhttp samples without Host still parse.
        let outcome = verify(raw, requiresHost: false, finish: finish)
        if deliberateDifferences[entry.name] != nil {  // llhttp's partial data says nothing here
            #expect((outcome.error != nil) == (expect == "error"), "\(String(describing: outcome.error))")
            return
        }
        if expect == "error" {
            #expect(outcome.error != nil, "accepted: \(outcome.completed.map(\.head.target))")
            #expect(outcome.completed.count <= entry.messagesCompleted)
            return
        }
        let expected = entry.upgrade == nil ? entry.messages : Array(entry.messages.prefix(1))
        if entry.upgrade == nil {
            #expect(outcome.error == nil, "refused: \(String(describing: outcome.error))")
            #expect(outcome.completed.count == entry.messagesCompleted)
        }
        for (index, message) in expected.enumerated() where index == 0 || message.complete {
            guard index < outcome.requests.count else {
                Issue.record("message \(index) missing")
                return
            }
            expectMatch(outcome.requests[index], message)
        }
        expectHostRule(entry, raw: raw, finish: finish, lenient: outcome)
    }

    /// Compares a parsed request with llhttp's record of it. llhttp's strings hold one character
    /// per byte and keep trailing whitespace in values; its header list also holds the trailers,
    /// which this parser drops, so for chunked messages only the head's fields are compared.
    private func expectMatch(_ parsed: ParsedRequest, _ message: CorpusEntry.Message) {
        #expect(parsed.head.method == message.method)
        #expect(parsed.head.target == message.url)
        let ours = parsed.head.headers.map { [$0.name.lowercased(), $0.value] }
        var theirs = message.headers.map { [$0[0].lowercased(), bytesAsText(trimmed($0[1]))] }
        if parsed.head.framing == .chunked && theirs.count > ours.count { theirs = Array(theirs.prefix(ours.count)) }
        #expect(ours == theirs)
        if message.complete, let body = message.bodyBase64 {
            #expect(parsed.complete)
            #expect(parsed.body == [UInt8](Data(base64Encoded: body)!))
        }
    }

    private func trimmed(_ value: String) -> String {
        String(value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// Reads a one-character-per-byte string back as the UTF-8 text those bytes spell.
    private func bytesAsText(_ value: String) -> String {
        guard value.unicodeScalars.allSatisfy({ $0.value < 256 }) else { return value }
        return String(decoding: value.unicodeScalars.map { UInt8($0.value) }, as: UTF8.self)
    }

    /// With the Host rule on, an HTTP/1.1 request without Host is refused with 400 and everything
    /// before it parses the same.
    private func expectHostRule(_ entry: CorpusEntry, raw: [UInt8], finish: Bool, lenient: ParseOutcome) {
        let strict = drive([raw[...]], finish: finish)
        guard
            let missing = lenient.requests.firstIndex(where: {
                $0.head.version == .http1_1 && !$0.head.headers.contains(name: "host")
            })
        else {
            #expect(strict == lenient)
            return
        }
        #expect(strict.error?.status == .badRequest)
        #expect(strict.requests == Array(lenient.requests.prefix(missing)))
    }
}
