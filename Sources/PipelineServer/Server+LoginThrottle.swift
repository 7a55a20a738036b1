import HTTP1
import UVLoop

extension Server {
    /// 429 for a client whose address is throttled for failed logins (`LoginThrottle`), decided
    /// before its credentials are compared, so throttled guessing learns nothing, and (from the
    /// head, at preflight) before its body is read; nil to go on.
    func loginRefusal(for client: (any Transport)?) -> Response? {
        guard !loginThrottle.isEmpty, let address = Self.address(of: client),
            let left = loginThrottle.throttled(address, now: clock.now)
        else { return nil }
        return Self.throttledLogin(retryAfter: Self.seconds(left))
    }

    /// Counts how a login went: wrong or malformed credentials count against the client's
    /// address, correct ones forget it. A request without credentials (no `Authorization`,
    /// another scheme, an empty token) is no attempt: browsers and curl send one before they
    /// send a password, and it guesses nothing. Returns the 429 when this failure throttled the
    /// address, and logs it: one `login_throttled` line per throttle, not per refused request.
    func loginChecked(_ failure: Authenticator.Failure?, from client: (any Transport)?) -> Response? {
        switch failure {
        case .missing:
            return nil
        case nil:
            if !loginThrottle.isEmpty, let address = Self.address(of: client) { loginThrottle.succeeded(address) }
            return nil
        case .malformed, .mismatch:
            guard loginThrottle.isEnabled, let address = Self.address(of: client),
                let throttle = loginThrottle.failed(address, now: clock.now)
            else { return nil }
            let seconds = Self.seconds(throttle.milliseconds)
            logger.warning(
                "login_throttled",
                metadata: [
                    "address": "\(address)", "failed_logins": "\(throttle.failures)", "retry_after": "\(seconds)",
                ])
            return Self.throttledLogin(retryAfter: seconds)
        }
    }

    /// The client's address; nil for a transport that has none (in-process tests that give
    /// none), which is never throttled.
    private static func address(of client: (any Transport)?) -> PeerAddress? {
        (client as? any PeerAddressed)?.peer
    }

    /// Whole seconds, rounded up: a client that waits `Retry-After` finds the throttle over.
    private static func seconds(_ milliseconds: UInt64) -> UInt64 {
        max(1, (milliseconds + 999) / 1000)
    }

    static func throttledLogin(retryAfter seconds: UInt64) -> Response {
        Problem.response(
            .tooManyRequests, "Too many failed logins from this address; try again after Retry-After seconds.",
            headers: ["Retry-After": "\(seconds)"])
    }
}
