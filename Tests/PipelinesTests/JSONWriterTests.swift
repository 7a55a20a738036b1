import Testing

@testable import Pipelines

struct JSONWriterTests {
    private func text(_ writer: JSONWriter) -> String {
        String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func keysComeOutInTheOrderWritten() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("z")
        writer.integer(1)
        writer.key("a")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.string(nil)
        writer.endArray()
        writer.key("m")
        writer.beginObject()
        writer.endObject()
        writer.key("n")
        writer.number(JSONNumber(literal: "1e400"))
        writer.endObject()
        #expect(text(writer) == #"{"z":1,"a":[true,null,null],"m":{},"n":1e400}"#)
    }

    @Test func stringsAreEscaped() {
        var writer = JSONWriter()
        writer.string("q\"b\\s/\n\r\t\u{8}\u{c}\u{1}\u{1f}é😀")
        #expect(text(writer) == #""q\"b\\s/\n\r\t\b\f\u0001\u001fé😀""#)
    }

    @Test func integersIncludeExtremes() {
        var writer = JSONWriter()
        writer.beginArray()
        for value in [0, 7, -7, 1_234_567_890, Int.max, Int.min] { writer.integer(value) }
        writer.endArray()
        #expect(text(writer) == "[0,7,-7,1234567890,9223372036854775807,-9223372036854775808]")
    }

    @Test func rawValuesAreSpliced() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.raw(Array(#"{"a":1}"#.utf8))
        writer.raw(Array("2".utf8))
        writer.endArray()
        #expect(text(writer) == #"[{"a":1},2]"#)
    }

    @Test func treesRoundTripThroughTheReader() throws {
        let source = #"{"b":[1,-0.5e+3,"x\u0000y",{"c":null}],"a":{"k":false},"big":123456789012345678901234567890}"#
        let value = try JSONReader.parse(Array(source.utf8))
        var writer = JSONWriter()
        writer.value(value)
        #expect(text(writer) == source)
        #expect(try JSONReader.parse(writer.bytes) == value)
    }
}
