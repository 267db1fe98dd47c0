import Foundation

#if os(Linux)
/// glibc's `malloc_trim` (malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

/// The memory that the request bodies being read may take together, across connections.
///
/// A body must be read before its MAC can be checked, so anyone who can reach the port could
/// otherwise make the server hold `maximumBodyBytes` per connection: 120 connections, 2 GB.
/// Each request reserves what it announces (`Content-Length`, or the whole limit when it
/// announces nothing) before a byte of its body is read; a request that does not fit is
/// answered 503 at once. When the last body is released after a burst, the freed memory is
/// handed back to the system (glibc keeps it otherwise).
final class BodyBudget: @unchecked Sendable {
    let capacity: Int
    // Safe to send: the mutable state below is only touched while `lock` is held.
    private let lock = NSLock()
    private var used = 0
    private var peakSinceTrim = 0

    /// Bodies this large in flight together make a burst worth returning to the system.
    static let trimThreshold = 32 * 1024 * 1024

    init(capacity: Int = SyncAPI.maximumBodiesInFlight) {
        self.capacity = capacity
    }

    /// Reserves `bytes`; false when they do not fit now.
    func reserve(_ bytes: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard used + bytes <= capacity else { return false }
        used += bytes
        peakSinceTrim = max(peakSinceTrim, used)
        return true
    }

    func release(_ bytes: Int) {
        lock.lock()
        used -= bytes
        let trim = used == 0 && peakSinceTrim >= Self.trimThreshold
        if trim { peakSinceTrim = 0 }
        lock.unlock()
        #if os(Linux)
        // A moment later: the request that released last still holds its buffers until its
        // handler has returned.
        if trim {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { [self] in
                if inUse == 0 { _ = mallocTrim(0) }
            }
        }
        #endif
    }

    var inUse: Int {
        lock.lock()
        defer { lock.unlock() }
        return used
    }
}
