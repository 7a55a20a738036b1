// libFuzzer entry point for the CLI's Server-Sent Events parser. Scripts/fuzz compiles it
// together with Sources/PipelineClient/ServerSentEventParser.swift. Besides memory errors and
// traps, it checks the parser's promise that chunking does not matter: the stream fed whole,
// split at a point chosen by the first input byte, and one byte at a time gives the same events
// and the same `lastEventID` and `retryMilliseconds`; and that a dropped connection keeps the id.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventStream(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = Int(data[0])
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    var whole = ServerSentEventParser()
    let wholeEvents = whole.feed(stream)

    var split = ServerSentEventParser()
    let cut = stream.isEmpty ? 0 : control % (stream.count + 1)
    let splitEvents = split.feed(stream[..<cut]) + split.feed(stream[cut...])

    var drip = ServerSentEventParser()
    var dripEvents: [ServerSentEvent] = []
    for byte in stream { dripEvents += drip.feed(CollectionOfOne(byte)) }

    precondition(splitEvents == wholeEvents, "splitting at \(cut) changed the events")
    precondition(dripEvents == wholeEvents, "byte-by-byte feeding changed the events")
    for parser in [split, drip] {
        precondition(parser.lastEventID == whole.lastEventID, "chunking changed lastEventID")
        precondition(parser.retryMilliseconds == whole.retryMilliseconds, "chunking changed retry")
    }
    let idBefore = whole.lastEventID
    whole.connectionDropped()
    precondition(whole.lastEventID == idBefore, "a dropped connection forgot the last event id")
    precondition(whole.feed([]).isEmpty, "an empty chunk completed an event")
    return 0
}
