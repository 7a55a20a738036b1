/// A value that belongs to one loop's thread, carried through a `@Sendable` closure: it may travel
/// to another thread (a store's writer) and back, but is only ever read on the loop's thread, and
/// every read checks that. The way a store's completion reaches the loop-bound server object
/// that is waiting for it (SwiftNIO's `NIOLoopBound` is the model).
public struct LoopBound<Value>: @unchecked Sendable {
    // @unchecked: `stored` is read only through `value`, which checks the thread.
    private let stored: Value
    private let loop: Loop

    /// Wraps `value`; must be called on the loop's thread.
    public init(_ value: Value, loop: Loop) {
        precondition(loop.inLoopThread, "a LoopBound value is made on its loop's thread")
        self.stored = value
        self.loop = loop
    }

    /// The value; only on the loop's thread.
    public var value: Value {
        precondition(loop.inLoopThread, "a LoopBound value is read on its loop's thread only")
        return stored
    }
}
