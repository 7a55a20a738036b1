import Foundation
import PipelineClient

/// Follows `GET /v1/events` for as long as its caller wants, reconnecting after a drop (waiting
/// 1 s, doubling up to 30 s, or what the server's `retry:` asks) and resuming with
/// `Last-Event-ID`, so no event is skipped or handed over twice.
struct EventFollower {
    /// What the caller wants after a connection opened or an event arrived.
    enum Step { case proceed, stop }

    let api: PipelineAPI
    /// Only this pipeline's events (`?pipeline_id=`), or all.
    let pipelineID: String?
    /// Reconnect when no byte arrived for this long (the server sends heartbeats).
    let idleTimeout: Double

    static let initialDelay = 1.0
    static let maximumDelay = 30.0

    /// Runs until `onConnected` or `onEvent` answers `.stop`. A first connection that fails throws
    /// `unreachable`; an error status is printed and throws `httpError`.
    func run(
        onConnected: () async throws -> Step, onEvent: (ServerSentEvent) async throws -> Step
    ) async throws {
        var parser = ServerSentEventParser()
        var delay = Self.initialDelay
        var everConnected = false
        while true {
            do {
                guard let reason = try await follow(&parser, onConnected: onConnected, onEvent: onEvent) else { return }
                everConnected = true
                delay = Self.initialDelay
                Outcome.printError("event stream lost: \(reason)")
            } catch let error as ClientError {
                guard everConnected else { throw Outcome.unreachable(error) }
                Outcome.printError(error.description)
            }
            parser.connectionDropped()
            let wait = parser.retryMilliseconds.map { Double($0) / 1000 } ?? delay
            let resume = parser.lastEventID.map { " after event \($0)" } ?? ""
            Outcome.printError("reconnecting in \(wait.formatted()) s\(resume)")
            try await Task.sleep(for: .seconds(wait))
            delay = min(delay * 2, Self.maximumDelay)
        }
    }

    /// Reads one connection; answers `nil` when the caller stopped, else why the stream ended.
    private func follow(
        _ parser: inout ServerSentEventParser,
        onConnected: () async throws -> Step, onEvent: (ServerSentEvent) async throws -> Step
    ) async throws -> String? {
        let url = api.url(["v1", "events"]).absoluteString
        let stream = api.eventStream(pipelineID: pipelineID, lastEventID: parser.lastEventID, idleTimeout: idleTimeout)
        var status = 0
        var errorBody = Data()
        do {
            for try await part in stream {
                switch part {
                case .status(let code):
                    status = code
                    if (200..<300).contains(code), try await onConnected() == .stop { return nil }
                case .bytes(let bytes) where (200..<300).contains(status):
                    for event in parser.feed(bytes) where try await onEvent(event) == .stop { return nil }
                case .bytes(let bytes):
                    errorBody.append(bytes)
                case .etag:
                    break
                }
            }
        } catch let error as ClientError {
            guard (200..<300).contains(status) else { throw error }
            return error.description
        }
        guard status != 0 else { throw ClientError.unexpectedResponse(url: url, reason: "no HTTP response") }
        guard (200..<300).contains(status) else {
            try await Outcome.emit(APIResponse(status: status, body: errorBody))
            return nil  // not reached: emit threw for the error status
        }
        return "the server closed it"
    }
}
