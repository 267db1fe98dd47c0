import Foundation

/// How far a peer's clock is from this laptop's, learnt from the peer's signed 401 for a
/// request outside its freshness window (`SyncAPI.serverTimeHeader`).
///
/// Only the freshness stamp (`X-Qun-Time`) of later requests to that peer is corrected:
/// it proves a request is new, it orders nothing. Changes keep this laptop's own clock, so a
/// laptop whose clock is wrong still gets its changes held back by teammates.
public final class ClockCorrection: @unchecked Sendable {
    // Safe to send: the mutable state below is only touched while `lock` is held.
    private let lock = NSLock()
    private var offset: Int64?

    public init() {}

    /// The peer's time minus this laptop's, once learnt.
    public var adopted: Int64? {
        lock.lock()
        defer { lock.unlock() }
        return offset
    }

    func adopt(peerTime: Int64, localTime: Int64) {
        lock.lock()
        defer { lock.unlock() }
        offset = peerTime - localTime
    }

    /// The stamp for a request made at `localTime`.
    func stamp(_ localTime: Int64) -> Int64 {
        localTime + (adopted ?? 0)
    }
}

/// A signed 401 for a stale request, carrying the peer's time: the connection corrects its
/// stamp and asks again, once.
struct StaleAnswer: Error {
    var serverTime: Int64
}
