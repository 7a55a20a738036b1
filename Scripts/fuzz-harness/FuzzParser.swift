// libFuzzer entry point for the HTTP/1 request parser. Scripts/fuzz compiles it together with
// Sources/HTTP1/*.swift into one module (so no package manifest is involved) with
// `-sanitize=fuzzer,address`. Besides memory errors and traps inside the parser, it checks the
// parser's promises: consumed counts and body ranges stay inside the bytes, needMoreBytes
// consumes nothing, and the outcome does not depend on how the bytes were split into reads.

private struct Outcome: Equatable {
    var heads: [RequestHead] = []
    var body: [UInt8] = []
    var ends = 0
    var error: HTTPError?
}

private func run(_ input: [UInt8], readSizes: (Int) -> Int, limits: HTTPLimits, requiresHost: Bool) -> Outcome {
    var parser = RequestParser(limits: limits, requiresHost: requiresHost)
    var buffer: [UInt8] = []
    var outcome = Outcome()
    var offset = 0
    while offset < input.count {
        let size = max(1, min(readSizes(offset), input.count - offset))
        buffer.append(contentsOf: input[offset..<(offset + size)])
        offset += size
        while outcome.error == nil {
            let (event, consumed) = parser.parse(buffer.span)
            precondition(consumed >= 0 && consumed <= buffer.count, "consumed outside the buffer")
            switch event {
            case .needMoreBytes:
                precondition(consumed == 0, "needMoreBytes consumed bytes")
            case .head(let head):
                outcome.heads.append(head)
                checkTarget(head)
            case .body(let range):
                precondition(!range.isEmpty && range.upperBound <= consumed, "body range outside consumed bytes")
                outcome.body.append(contentsOf: buffer[range])
            case .messageEnd:
                outcome.ends += 1
            case .failure(let error):
                outcome.error = error
            }
            buffer.removeFirst(consumed)
            if case .needMoreBytes = event { break }
        }
        if outcome.error != nil { break }
    }
    if outcome.error == nil, let error = parser.finish() { outcome.error = error }
    return outcome
}

/// What the router is handed: a target read in place from the head's buffer agrees with the same
/// text split on its own, and its segments, split in the pass that finds its path (which also
/// notes whether the path has a `%`), agree with splitting the path alone.
private func checkTarget(_ head: RequestHead) {
    let target = RequestTarget(head)
    let fromText = RequestTarget(head.target)
    precondition(target.path == fromText.path && target.query == fromText.query, "in-place target disagrees")
    precondition(target.queryItems?.map(\.name) == fromText.queryItems?.map(\.name), "query items disagree")
    _ = target.segments
    guard target.isOriginPath else { return }
    let alone = PathSegments(target.path)
    precondition(target.pathSegments.count == alone.count, "segment counts disagree")
    for index in 0..<min(alone.count, PathSegments.capacity) {
        precondition(target.pathSegments.isDecodable(index) == alone.isDecodable(index), "decodability disagrees")
        precondition(target.pathSegments.decoded(index) == alone.decoded(index), "segments disagree")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    // Small limits so the fuzzer reaches every limit check with short inputs.
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 32 + Int(control & 0x3F)
    limits.maxHeaderBytes = 256
    limits.maxHeaderCount = 8
    limits.maxBodyBytes = 300
    limits.maxChunkLineBytes = 48
    let requiresHost = control & 0x40 == 0  // without Host checks, mutations reach bodies more often
    let whole = run(input, readSizes: { _ in Int.max }, limits: limits, requiresHost: requiresHost)
    let cut = input.isEmpty ? 1 : Int(control) % input.count + 1
    let split = run(input, readSizes: { $0 == 0 ? cut : Int.max }, limits: limits, requiresHost: requiresHost)
    let dripped = run(input, readSizes: { _ in 1 }, limits: limits, requiresHost: requiresHost)
    precondition(whole == split, "outcome depends on a split at \(cut)")
    precondition(whole == dripped, "outcome differs when fed one byte at a time")
    return 0
}
