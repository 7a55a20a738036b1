import Testing

@testable import Pipelines

/// The API.md example document and helpers to vary it field by field.
enum DocumentSample {
    static let run = #"{"name":"Run tests","type":"Run","command":"pytest","timeout":500}"#
    static let build =
        #"{"name":"Build image","type":"Build","dockerfile":"Dockerfile","tag":"latest","ecr_repository":"123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo","timeout":600}"#
    static let deploy =
        #"{"name":"Deploy","type":"Deploy","k8s_manifest":{"apiVersion":"apps/v1","kind":"Deployment"},"cluster":{"name":"prod-1","server_url":"https://k8s.example.com","namespace":"production"},"timeout":600}"#
    static let text =
        #"{"name":"CI Pipeline","git_repository":"https://github.com/example/repo","stages":["#
        + run + "," + build + "," + deploy + #"],"parallel":false}"#

    static var value: JSONValue { try! JSONReader.parse(Array(text.utf8)) }

    /// The sample with the field at `path` (e.g. `stages[2].cluster.name`) set to `json`, or
    /// removed when `json` is nil.
    static func with(_ path: String, _ json: String?) -> [UInt8] {
        let replacement = json.map { try! JSONReader.parse(Array($0.utf8)) }
        var writer = JSONWriter()
        writer.value(edit(value, path: path.split(separator: ".").map(String.init)[...], to: replacement))
        return writer.bytes
    }

    private static func edit(_ value: JSONValue, path: ArraySlice<String>, to new: JSONValue?) -> JSONValue {
        guard let segment = path.first else { return new ?? .null }
        var key = segment
        var index: Int?
        if let open = segment.firstIndex(of: "[") {
            key = String(segment[..<open])
            index = Int(segment[segment.index(after: open)...].dropLast())
        }
        guard case .object(var members) = value else { return value }
        let position = members.firstIndex { $0.key == key }
        if let index, let position, case .array(var elements) = members[position].value {
            elements[index] = edit(elements[index], path: path.dropFirst(), to: new)
            members[position].value = .array(elements)
        } else if path.count == 1, new == nil {
            members.removeAll { $0.key == key }
        } else if let position {
            members[position].value = edit(members[position].value, path: path.dropFirst(), to: new)
        } else {
            members.append((key, edit(.null, path: path.dropFirst(), to: new)))
        }
        return .object(members)
    }

    static func decode(_ bytes: [UInt8]) -> Result<PipelineDocument, DocumentError> {
        PipelineDocument.decode(bytes)
    }

    static func decode(_ text: String) -> Result<PipelineDocument, DocumentError> {
        PipelineDocument.decode(Array(text.utf8))
    }
}

struct DocumentCodingTests {
    let id = "a0305992-931e-4dc0-aa2b-893116f6542e"

    @Test func sampleDecodesToItsRunSnapshot() throws {
        let document = try DocumentSample.decode(DocumentSample.text).get()
        #expect(document.parallel == false)
        #expect(
            document.runStages == [
                RunPlan.Stage(name: "Run tests", type: .run, timeout: 500),
                RunPlan.Stage(name: "Build image", type: .build, timeout: 600),
                RunPlan.Stage(name: "Deploy", type: .deploy, timeout: 600),
            ])
    }

    @Test func escapedStringsAreDecodedForTheSnapshotAndNormalisedInTheBody() throws {
        let body =
            #"{"name":"\u0041","git_repository":"git@h:r","stages":[{"name":"caf\u00e9 \"x\"","type":"R\u0075n","command":"a\/b"}],"parallel":true}"#
        let document = try DocumentSample.decode(body).get()
        #expect(document.runStages == [RunPlan.Stage(name: "café \"x\"", type: .run, timeout: 600)])
        #expect(document.parallel)
        let text = String(decoding: document.encoded(id: "x"), as: UTF8.self)
        #expect(
            text
                == #"{"name":"A","git_repository":"git@h:r","stages":[{"name":"café \"x\"","type":"Run","command":"a/b","timeout":600}],"parallel":true,"id":"x"}"#
        )
    }

    @Test func encodingUsesTheSpecKeyOrderAndAppendsTheID() throws {
        let document = try DocumentSample.decode(DocumentSample.text).get()
        let expected = String(DocumentSample.text.dropLast()) + #","id":""# + id + #""}"#
        #expect(String(decoding: document.encoded(id: id), as: UTF8.self) == expected)
    }

    @Test func anIssuedIDIsWrittenAsItsCanonicalText() throws {
        let document = try DocumentSample.decode(DocumentSample.text).get()
        let issued = PipelineID.numbered(42)
        #expect(document.encoded(id: issued) == document.encoded(id: issued.description))
        #expect(
            String(decoding: document.encoded(id: issued), as: UTF8.self).hasSuffix(
                #","id":"00000000-0000-4000-8000-00000000002a"}"#))
    }

    @Test func keyOrderOfTheInputDoesNotMatter() throws {
        let shuffled =
            #"{"parallel":true,"stages":[{"timeout":5,"command":"make","type":"Run","name":"m"}],"git_repository":"git@h:r","name":"n"}"#
        let text = String(decoding: try DocumentSample.decode(shuffled).get().encoded(id: "x"), as: UTF8.self)
        #expect(
            text
                == #"{"name":"n","git_repository":"git@h:r","stages":[{"name":"m","type":"Run","command":"make","timeout":5}],"parallel":true,"id":"x"}"#
        )
    }

    @Test func defaultsAreFilledIn() throws {
        let body =
            #"{"name":"n","git_repository":"https://h/r","stages":[{"name":"d","type":"Deploy","k8s_manifest":{},"cluster":{"name":"c","server_url":"http://k"}},{"name":"e","type":"Deploy","k8s_manifest":{},"cluster":{"name":"c","server_url":"http://k","namespace":""}},{"name":"f","type":"Deploy","k8s_manifest":{},"cluster":{"name":"c","server_url":"http://k","namespace":null}}]}"#
        let text = String(decoding: try DocumentSample.decode(body).get().encoded(id: "x"), as: UTF8.self)
        let stage = { (name: String) in
            #"{"name":""# + name
                + #"","type":"Deploy","k8s_manifest":{},"cluster":{"name":"c","server_url":"http://k","namespace":"default"},"timeout":600}"#
        }
        #expect(
            text == #"{"name":"n","git_repository":"https://h/r","stages":["# + stage("d") + "," + stage("e") + ","
                + stage("f") + #"],"parallel":false,"id":"x"}"#)
    }

    @Test func manifestComesBackExactly() throws {
        let manifest =
            #"{"z":1e400,"big":123456789012345678901234567890,"neg":-0.000e-7,"s":"é\"\n€","a":[null,true,{"b":{}}],"e\u0301":"x"}"#
        let bytes = DocumentSample.with("stages[2].k8s_manifest", manifest)
        let encoded = try DocumentSample.decode(bytes).get().encoded(id: id)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""k8s_manifest":"# + manifest.replacing(#"\u0301"#, with: "\u{301}") + ","))
    }

    @Test func getBodySentBackWithPutValidatesToTheSameDocument() throws {
        let document = try DocumentSample.decode(DocumentSample.text).get()
        let body = document.encoded(id: id)
        let again = try DocumentSample.decode(body).get()
        #expect(again == document)
        #expect(again.encoded(id: id) == body)
    }

    @Test func topLevelIDIsIgnoredWhateverItsType() throws {
        #expect(throws: Never.self) { try DocumentSample.decode(DocumentSample.with("id", "123")).get() }
        #expect(throws: Never.self) { try DocumentSample.decode(DocumentSample.with("id", "{\"a\":[1]}")).get() }
    }

    @Test func malformedJSONReportsTheByteOffset() {
        #expect(
            DocumentSample.decode(#"{"name": "x",}"#)
                == .failure(.malformed(offset: 13, reason: "unexpected '}', expected a string key")))
        guard case .failure(let error) = DocumentSample.decode("{\"name\":\"\\ud800\"}") else {
            Issue.record("accepted a lone surrogate")
            return
        }
        #expect(error.detail == "The request body is not valid JSON: lone high surrogate escape at byte offset 9.")
    }
}
