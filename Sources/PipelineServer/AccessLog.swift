import HTTP1
import Logging

/// Structured access log through swift-log, off or sampled so it never dominates request cost.
struct AccessLog {
    let logger: Logger
    /// 0 = off, 1 = every request, N = one request in N.
    let sampling: Int
    private var counter = 0

    init(logger: Logger, sampling: Int) {
        self.logger = logger
        self.sampling = sampling
    }

    mutating func record(_ head: RequestHead, status: HTTPStatus, bytes: Int) {
        guard sampling > 0 else { return }
        counter += 1
        guard counter >= sampling else { return }
        counter = 0
        logger.info(
            "request",
            metadata: [
                "method": "\(head.method)", "target": "\(head.target)",
                "status": "\(status.code)", "bytes": "\(bytes)",
            ])
    }
}
