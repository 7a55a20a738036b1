import Foundation

/// A value shared by test threads behind an `NSLock` (a pthread mutex). Not
/// `Synchronization.Mutex`: ThreadSanitizer understands pthread locks, not raw futexes, and
/// would report every access as a race. Shared by every test target.
public final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched inside `withLock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
