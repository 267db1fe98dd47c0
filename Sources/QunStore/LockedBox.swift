import Foundation

/// A value that several threads read and write, each access under one lock.
///
/// `Synchronization.Mutex` is the standard tool, but it needs macOS 15 and the package still
/// supports macOS 13; an `NSLock` gives the same guarantee on every platform the package
/// builds for.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    // Safe to send: `value` is only ever touched while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// A copy of the value as it is now.
    var current: Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Runs `body` with the value, no other access in between: a read-modify-write such as
    /// appending to an array is one step.
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
