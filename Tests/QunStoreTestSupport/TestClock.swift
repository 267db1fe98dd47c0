import Foundation

/// A wall clock the test moves by hand. Shared by reference so that a store created with
/// `clock.closure` sees every later `advance`; tests of skew, expiry and "later" stamps move
/// it instead of sleeping.
public final class TestClock: @unchecked Sendable {
    // Safe to send: `milliseconds` is only touched under `lock`.
    private let lock = NSLock()
    private var milliseconds: Int64

    /// 2024-03-01T00:00:00Z: a fixed, readable start.
    public static let start: Int64 = 1_709_251_200_000

    public init(_ milliseconds: Int64 = TestClock.start) { self.milliseconds = milliseconds }

    public var now: Int64 {
        lock.lock(); defer { lock.unlock() }
        return milliseconds
    }

    public func advance(by delta: Int64) {
        lock.lock(); defer { lock.unlock() }
        milliseconds += delta
    }

    public func set(_ value: Int64) {
        lock.lock(); defer { lock.unlock() }
        milliseconds = value
    }

    public var closure: @Sendable () -> Int64 { { [self] in self.now } }
}
