import Foundation
import QunStore
import ServiceLifecycle

/// Whether the store `qun serve` answers for is still there.
///
/// A store deleted or replaced under a running server is only unlinked: SQLite keeps writing
/// to the open file, so pushes would get 200 and vanish with it. The server notes the
/// database file's identity (device and inode) when it starts; a request finds out at once
/// that the file is gone or another one (503, nothing done), and the watch stops the server
/// within a second, so that `qun serve` exits with a message instead of serving nothing.
final class StoreWatch: Sendable {
    let path: String
    private let identity: (device: UInt64, inode: UInt64)?

    init(store: Store) {
        path = store.directory.appendingPathComponent(Store.databaseFileName).path
        identity = Self.identity(of: path)
    }

    /// The database file is still the one the server opened.
    var isPresent: Bool {
        guard let identity, let now = Self.identity(of: path) else { return false }
        return now == identity
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Stops the service group (with `SyncServerError.storeGone`) once the store is gone.
    struct Service: ServiceLifecycle.Service {
        let watch: StoreWatch
        var interval: Duration = .seconds(1)

        func run() async throws {
            do {
                try await cancelWhenGracefulShutdown {
                    while true {
                        try await Task.sleep(for: interval)
                        if !watch.isPresent { throw SyncServerError.storeGone(path: watch.path) }
                    }
                }
            } catch is CancellationError {
                // A graceful shutdown: nothing to report.
            }
        }
    }
}
