import Foundation

/// The request MACs the server has accepted within the freshness window, so that a recorded
/// request replayed inside the window is refused like one replayed after it.
///
/// Every protocol-2 request body is sealed with a fresh random salt, so two genuine requests
/// never share a MAC: a MAC seen twice is a copy. A MAC is forgotten once its request time
/// has left the window (nothing with that time is accepted any more). The memory is bounded:
/// when `capacity` MACs are remembered, new requests are turned away (503) until old ones
/// expire, instead of forgetting one that could then be replayed.
///
/// After a restart the guard is empty: a request recorded less than a window before the
/// restart could be replayed once. It gets only what the original got: answers sealed for
/// its sender, and pushes that are idempotent.
final class ReplayGuard: @unchecked Sendable {
    enum Verdict: Equatable {
        case fresh
        case replay
        case full
    }

    // Safe to send: the mutable state below is only touched while `lock` is held.
    private let lock = NSLock()
    private var seen: [String: Int64] = [:]
    private var nextSweep: Int64 = .min
    let window: Int64
    let capacity: Int

    init(window: Int64 = SyncAPI.freshnessWindowMilliseconds, capacity: Int = SyncAPI.maximumRememberedRequests) {
        self.window = window
        self.capacity = capacity
    }

    /// Records `mac` of a request stamped `time`, as seen at server time `now`.
    func admit(_ mac: String, time: Int64, now: Int64) -> Verdict {
        lock.lock()
        defer { lock.unlock() }
        if now >= nextSweep || seen.count >= capacity {
            seen = seen.filter { $0.value >= now }
            nextSweep = now + window / 10
        }
        if seen[mac] != nil { return .replay }
        guard seen.count < capacity else { return .full }
        seen[mac] = time + window
        return .fresh
    }

    func contains(_ mac: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return seen[mac] != nil
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return seen.count
    }
}
