import CLibUV

/// A failed libuv call, kept typed so no status code is silently dropped (STYLE.md principle 6).
public struct UVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libuv's negative error code, e.g. `UV_EADDRINUSE`.
    public let code: Int32
    /// What we were doing, e.g. `"uv_listen"`, so the message says where it failed.
    public let operation: String

    package init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// libuv's symbolic name for the code, e.g. `EADDRINUSE`.
    public var name: String { String(cString: uv_err_name(code)) }

    /// libuv's sentence for the code, e.g. `address already in use`.
    public var reason: String { String(cString: uv_strerror(code)) }

    public var description: String {
        "\(operation) failed: \(name) (\(reason))"
    }

    /// The code libuv passes to callbacks of requests cancelled by closing their handle.
    static let cancelled = Int32(UV_ECANCELED.rawValue)
    /// The code a read callback gets when the peer closed its side.
    static let endOfFile = Int32(UV_EOF.rawValue)
}

/// Turns a libuv return code into a thrown `UVError` when it is negative.
@inline(__always)
func check(_ code: Int32, _ operation: String) throws(UVError) {
    if code < 0 { throw UVError(code: code, operation: operation) }
}
