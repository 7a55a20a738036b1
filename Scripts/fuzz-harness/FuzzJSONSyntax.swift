// libFuzzer entry point for the CLI's JSON check (Sources/PipelineClient/JSONSyntax.swift), which
// Scripts/fuzz compiles with it. Besides memory errors and traps (deep nesting, long strings),
// it checks the checker's promises:
// - a rejection names a byte offset inside the input, and the line it gives is one more than the
//   line feeds before that offset;
// - an accepted text stays accepted inside surrounding whitespace;
// - every member value of an accepted object, and every element of an accepted array, is itself
//   valid JSON, and the ranges lie inside the input in order.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONSyntax(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    do throws(JSONSyntaxError) {
        try JSONSyntax.validate(input)
    } catch {
        precondition(error.offset >= 0 && error.offset <= input.count, "offset \(error.offset) outside the input")
        let lineFeeds = input[..<error.offset].count { $0 == UInt8(ascii: "\n") }
        precondition(error.line == lineFeeds + 1, "line \(error.line) for \(lineFeeds) line feeds before the offset")
        precondition(error.column >= 1, "column \(error.column)")
        return 0
    }
    let padded = Array(" \n\t".utf8) + input + Array("\r\n ".utf8)
    precondition((try? JSONSyntax.validate(padded)) != nil, "whitespace around a valid text made it invalid")
    if let members = JSONSyntax.objectMembers(input) {
        var end = 0
        for member in members {
            precondition(
                end <= member.key.lowerBound && member.key.upperBound <= member.value.lowerBound, "ranges out of order")
            precondition(member.value.upperBound <= input.count, "value range outside the input")
            precondition(input[member.key.lowerBound] == UInt8(ascii: "\""), "a key that is not a string")
            precondition(
                (try? JSONSyntax.validate(Array(input[member.value]))) != nil, "a member value that is not JSON")
            end = member.value.upperBound
        }
    }
    if let elements = JSONSyntax.arrayElements(input, in: 0..<input.count) {
        var end = 0
        for element in elements {
            precondition(end <= element.lowerBound && element.upperBound <= input.count, "element ranges out of order")
            precondition((try? JSONSyntax.validate(Array(input[element]))) != nil, "an element that is not JSON")
            end = element.upperBound
        }
    }
    return 0
}
