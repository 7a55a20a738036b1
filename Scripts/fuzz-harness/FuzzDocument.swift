// libFuzzer entry point for the JSON reader and the pipeline-document validator. Scripts/fuzz
// compiles it together with Sources/Pipelines into one module with `-sanitize=fuzzer,address`.
// Besides memory errors and traps, it checks their promises:
// - a rejection names a byte offset inside the input;
// - the tape writes the same compact JSON as the tree of the same input, and that JSON reads
//   back to the same tree;
// - an accepted document's stored body is a fixed point: decoding it and encoding again gives
//   the same bytes and the same run snapshot.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    checkReader(input)
    checkDocument(input)
    return 0
}

private func checkReader(_ input: [UInt8]) {
    let tape: JSONTape
    do {
        tape = try JSONReader.tape(input)
    } catch {
        precondition(error.offset >= 0 && error.offset <= input.count, "offset outside the input")
        return
    }
    let tree = tape.value(at: 0)
    var fromTape = JSONWriter()
    tape.write(0, to: &fromTape)
    var fromTree = JSONWriter()
    fromTree.value(tree)
    precondition(fromTape.bytes == fromTree.bytes, "tape and tree encode differently")
    precondition((try? JSONReader.parse(fromTape.bytes)) == tree, "compact form does not read back")
}

private func checkDocument(_ input: [UInt8]) {
    switch PipelineDocument.decode(input) {
    case .failure(.invalid(let errors)):
        precondition(!errors.isEmpty, "invalid without errors")
    case .failure(.malformed):
        break
    case .success(let document):
        let body = document.encoded(id: "00000000-0000-4000-8000-000000000000")
        guard case .success(let again) = PipelineDocument.decode(body) else {
            preconditionFailure("stored body does not decode")
        }
        precondition(again == document, "stored body decodes to another document")
        precondition(again.encoded(id: "00000000-0000-4000-8000-000000000000") == body, "encoding is not a fixed point")
    }
}
