import UVLoop

/// A libuv `Connection` reports to its `HTTPConnection` through the delegate protocol; each call
/// forwards to the transport-neutral entry point a `MemoryTransport` calls directly in tests.
extension HTTPConnection: ConnectionDelegate {
    func connection(_ connection: Connection, didReceive bytes: Span<UInt8>) -> Int {
        received(bytes)
    }

    func connectionDidReachEnd(_ connection: Connection) {
        peerEnded()
    }

    func connectionDidClose(_ connection: Connection) {
        transportClosed()
    }

    func connectionDidQueueOutput(_ connection: Connection) {
        outputQueued()
    }

    func connection(_ connection: Connection, didWrite remaining: Int) {
        outputWritten(remaining: remaining)
    }
}
