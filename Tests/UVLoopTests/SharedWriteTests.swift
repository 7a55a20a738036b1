import Foundation
import Testing

@testable import UVLoop

/// Bytes whose value depends on their position, so a write that starts at the wrong offset
/// shows.
func patterned(_ count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ ($0 >> 9) ^ seed) }
}

/// On "a" writes a small head and a large body, on "b" a large head and a small body: more than
/// the socket takes at once, so `uv_try_write` sends a part and the rest is queued — once
/// starting inside the body, once inside the head. Then it overwrites its own arrays, which must
/// not change what is queued.
final class LargeWriteDelegate: ConnectionDelegate {
    static let small = patterned(1_000, seed: 1)
    static let large = patterned(8 << 20, seed: 2)

    func connection(_ connection: Connection, didReceive bytes: Span<UInt8>) -> Int {
        var head = bytes[0] == UInt8(ascii: "a") ? Self.small : Self.large
        var body = bytes[0] == UInt8(ascii: "a") ? Self.large : Self.small
        connection.write(head, body)
        head.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        body.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        connection.closeAfterFlush()
        return bytes.count
    }
    func connectionDidReachEnd(_ connection: Connection) { connection.closeAfterFlush() }
    func connectionDidClose(_ connection: Connection) {}
}

/// A loop whose listener gives every connection a `LargeWriteDelegate`.
struct LargeWriteServer {
    let harness: LoopHarness
    let listener: Box<Listener?>
    let port: Int

    init() throws {
        let listener = Box<Listener?>(nil)
        harness = try LoopHarness { loop in
            listener.value = try Listener(loop: loop, host: "127.0.0.1", port: 0, maxConnections: 10) { connection in
                connection.delegate = LargeWriteDelegate()
                connection.startReading()
            }
        }
        self.listener = listener
        port = try harness.run { listener.value!.port }
    }

    /// Closes the listener and the loop; true when `uv_loop_close` returned 0.
    func stop() -> Bool {
        let listener = listener
        let loop = harness.loop
        loop.execute {
            listener.value?.close()
            loop.shutDownWakeup()
        }
        return harness.waitUntilFinished() && harness.closeStatus == 0
    }
}

struct SharedWriteTests {
    /// Two connections share the same arrays (nothing is copied per connection): each client
    /// receives exactly head then body, whichever of the two the queued part starts in.
    @Test func queuedArraysAreSentWholeAndInOrderFromWhereTheSocketStopped() throws {
        let server = try LargeWriteServer()
        let first = try BlockingClient(port: server.port)
        let second = try BlockingClient(port: server.port)
        first.send("a")
        second.send("b")
        // Compared as Bools: a failed `==` of two 8 MiB arrays would have the expectation diff them.
        let firstIsExact = first.receiveUntilClosed() == LargeWriteDelegate.small + LargeWriteDelegate.large
        let secondIsExact = second.receiveUntilClosed() == LargeWriteDelegate.large + LargeWriteDelegate.small
        #expect(firstIsExact, "queued from inside the body")
        #expect(secondIsExact, "queued from inside the head")
        first.close()
        second.close()
        #expect(server.stop())
    }

    /// Output queued for a client that never reads and then goes away is counted as released
    /// once its connection closes: what `HeapTrimmer` reads to tell that a burst was freed.
    @Test func queuedOutputOfAClosedConnectionIsCountedAsReleased() throws {
        let server = try LargeWriteServer()
        let client = try BlockingClient(port: server.port)
        client.send("a")
        usleep(200_000)  // written and queued
        client.close()  // unread: the server's writes fail and what was queued is released
        let loop = server.harness.loop
        let listener = server.listener
        let deadline = Date().addingTimeInterval(5)
        var released = 0
        while Date() < deadline {
            released = try server.harness.run { loop.releasedOutputBytes }
            if released > 0, try server.harness.run({ listener.value!.openConnections }) == 0 { break }
            usleep(20_000)
        }
        #expect(released > 0)
        #expect(released <= LargeWriteDelegate.small.count + LargeWriteDelegate.large.count)
        #expect(server.stop())
    }

    /// The trimmer runs on its timer, reports each trim, and closes with the loop.
    @Test func aHeapTrimmerTrimsOnItsTimerAndClosesCleanly() throws {
        let trims = Box(0)
        let trimmer = Box<HeapTrimmer?>(nil)
        let harness = try LoopHarness { loop in
            var policy = HeapTrimPolicy()
            policy.threshold = 0  // every tick
            trimmer.value = try HeapTrimmer(loop: loop, interval: 10, policy: policy, trim: {}) { _ in
                trims.value += 1
            }
        }
        let deadline = Date().addingTimeInterval(5)
        while try harness.run({ trims.value }) < 2, Date() < deadline { usleep(10_000) }
        #expect(try harness.run { trims.value } >= 2)
        harness.loop.execute {
            trimmer.value?.close()
            harness.loop.shutDownWakeup()
        }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
    }
}
