import Foundation
import Testing

@testable import UVLoop

/// Echoes every byte back, uppercased, and closes after flushing when it sees "!".
final class ShoutingDelegate: ConnectionDelegate {
    func connection(_ connection: Connection, didReceive bytes: Span<UInt8>) -> Int {
        var reply: [UInt8] = []
        var sawBang = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "!") { sawBang = true }
            reply.append(byte >= 97 && byte <= 122 ? byte - 32 : byte)
        }
        connection.write(reply)
        if sawBang { connection.closeAfterFlush() }
        return bytes.count
    }
    func connectionDidReachEnd(_ connection: Connection) { connection.closeAfterFlush() }
    func connectionDidClose(_ connection: Connection) {}
}

/// Shared state between the loop thread and the test, only read after the loop finished.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

struct ConnectionTests {
    @Test func echoesAndClosesAfterFlushThenLoopClosesCleanly() throws {
        let port = Box(0)
        let listenerBox = Box<Listener?>(nil)
        let harness = try LoopHarness { loop in
            listenerBox.value = try Listener(loop: loop, host: "127.0.0.1", port: 0, maxConnections: 10) { connection in
                connection.delegate = ShoutingDelegate()
                connection.startReading()
            }
            port.value = listenerBox.value!.port
        }
        let client = try BlockingClient(port: port.value)
        client.send("hello ")
        #expect(client.receive(atLeast: 6) == Array("HELLO ".utf8))
        client.send("bye!")
        #expect(client.receiveUntilClosed() == Array("BYE!".utf8))
        client.close()
        harness.loop.execute {
            listenerBox.value?.close()
            harness.loop.shutDownWakeup()
        }
        #expect(harness.waitUntilFinished() == true)
        #expect(harness.closeStatus == 0)
    }

    @Test func refusesConnectionsPastTheCap() throws {
        let port = Box(0)
        let listenerBox = Box<Listener?>(nil)
        let harness = try LoopHarness { loop in
            listenerBox.value = try Listener(loop: loop, host: "127.0.0.1", port: 0, maxConnections: 1) { connection in
                connection.delegate = ShoutingDelegate()
                connection.startReading()
            }
            port.value = listenerBox.value!.port
        }
        let first = try BlockingClient(port: port.value)
        first.send("a")
        #expect(first.receive(atLeast: 1) == Array("A".utf8))
        let second = try BlockingClient(port: port.value)
        second.send("b")
        // Closed at accept: well before the client's 5 s receive timeout, and without an answer.
        let closedAfter = try #require(second.secondsUntilClosed())
        #expect(closedAfter < 1)
        first.send("still here")
        #expect(first.receive(atLeast: 10) == Array("STILL HERE".utf8))
        first.close()
        second.close()
        #expect(try harness.run { listenerBox.value!.refusedConnections } == 1)
        harness.loop.execute {
            listenerBox.value?.close()
            harness.loop.shutDownWakeup()
        }
        #expect(harness.waitUntilFinished() == true)
    }
}
