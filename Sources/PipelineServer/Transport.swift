import UVLoop

/// The byte stream under one HTTP connection, as the glue uses it: a libuv `Connection` in the
/// server, a `MemoryTransport` in the in-process tests (like NIO's `EmbeddedChannel`), so every
/// rule of the HTTP layer can be tested without a socket.
///
/// Events travel the other way by direct calls on `HTTPConnection` (`received`, `peerEnded`,
/// `outputQueued`, `outputWritten`, `transportClosed`); `Connection` makes them through
/// `ConnectionDelegate`. Thread: the loop thread, like everything that touches a connection.
protocol Transport: AnyObject {
    /// Sends `head` then `body`, in order after everything written before.
    func write(_ head: [UInt8], _ body: [UInt8])
    /// Stops taking input, sends what is queued, then closes.
    func closeAfterFlush()
    /// Closes now; queued output is dropped.
    func close()
    /// Resumes input, offering again the bytes the connection left unconsumed.
    func startReading()
    /// Stops input until `startReading` (the in-flight bound is reached).
    func stopReading()
    /// Output written but not yet taken by the client.
    var queuedBytes: Int { get }
    /// False while too much output is queued (back-pressure) or once a close began.
    var acceptsInput: Bool { get }
    /// True once a close of any kind has begun.
    var isClosing: Bool { get }
}

extension Connection: Transport {}

/// Monotonic milliseconds for connection deadlines: the loop's cached time in the server, a
/// hand-moved clock in tests, so timeouts are tested without sleeping.
package protocol MonotonicClock: AnyObject {
    var now: UInt64 { get }
}

extension Loop: MonotonicClock {}
