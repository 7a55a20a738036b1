import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A piece of a streamed response: first its status, then body bytes as they arrive.
public enum StreamPart: Sendable, Equatable {
    /// The response head arrived with this HTTP status.
    case status(Int)
    /// The response's `ETag` field (right after the status, when present): the only header field
    /// the CLI shows, for `get-pipeline --etag` and `--if-match`.
    case etag(String)
    /// More body bytes (for `text/event-stream`, feed them to `ServerSentEventParser`).
    case bytes(Data)
}

/// Runs one URLSession data task through a delegate and hands its parts out as an
/// `AsyncThrowingStream`: `watch` reads the endless event stream this way, and every other request
/// is collected from it by `HTTPTransport`.
///
/// Why a delegate even for one-shot requests: on Linux, swift-corelibs-foundation (6.3) turns a 401
/// carrying `WWW-Authenticate` into an authentication challenge *after* the body was delivered, and
/// without stored credentials the task then never completes (swift-corelibs-foundation#5456). The
/// delegate sees the status and body first, so it ends the stream at the challenge and the caller
/// gets the server's 401 problem body like any other error answer.
///
/// Ownership: the session retains this delegate until its task completes, then it is invalidated;
/// when the consumer stops early, `onTermination` cancels the task and the session.
final class StreamingTask: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Only immutable Sendable state: URLSession calls the delegate on its own serial queue.
    private let continuation: AsyncThrowingStream<StreamPart, any Error>.Continuation
    private let url: String
    private let timeout: Double

    private init(continuation: AsyncThrowingStream<StreamPart, any Error>.Continuation, url: String, timeout: Double) {
        self.continuation = continuation
        self.url = url
        self.timeout = timeout
    }

    /// Starts `request` and answers its parts; the stream finishes when the response is complete
    /// and throws `ClientError` when the transport fails.
    /// - Parameters:
    ///   - idleTimeout: seconds without any bytes before the request fails as timed out.
    ///   - totalTimeout: seconds the whole exchange may take (`nil`: unlimited, for streams).
    static func open(_ request: URLRequest, idleTimeout: Double, totalTimeout: Double?) -> AsyncThrowingStream<
        StreamPart, any Error
    > {
        let (stream, continuation) = AsyncThrowingStream<StreamPart, any Error>.makeStream()
        let delegate = StreamingTask(
            continuation: continuation, url: request.url?.absoluteString ?? "?", timeout: totalTimeout ?? idleTimeout)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = totalTimeout ?? .greatestFiniteMagnitude
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.urlCredentialStorage = nil
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: request)
        continuation.onTermination = { _ in
            task.cancel()
            session.invalidateAndCancel()
        }
        task.resume()
        return stream
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        continuation.yield(.status(http?.statusCode ?? 0))
        if let etag = http?.value(forHTTPHeaderField: "ETag") { continuation.yield(.etag(etag)) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        continuation.yield(.bytes(data))
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        // The 401 and its body were already delivered: that answer is the result. Cancelling the
        // challenge cancels the task, whose completion below then has nothing left to report.
        continuation.finish()
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            continuation.finish(throwing: ClientError(error, url: url, timeout: timeout))
        } else {
            continuation.finish()
        }
        session.finishTasksAndInvalidate()
    }
}
