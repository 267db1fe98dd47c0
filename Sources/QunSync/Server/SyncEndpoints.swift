import Hummingbird
import NIOPosix
import QunStore

/// The four sync endpoints: small handlers over one store, one file each
/// (`SyncEndpoints+Info.swift`, `+Pull`, `+Push`, `+Snapshot`).
///
/// Handlers see only authenticated, fresh requests with their body already opened
/// (`AuthenticationMiddleware`: `context.plaintext`), seal their 200 answer with
/// `context.sealer()`, and throw what went wrong; `SyncError.answer(for:logger:)` turns
/// that into a status. Protocol-1 paths never reach a handler.
struct SyncEndpoints: Sendable {
    let store: Store
    /// `SyncAPI.maximumUnknownPerReplica`, lower in tests.
    var maximumUnknownPerReplica = SyncAPI.maximumUnknownPerReplica

    func register(on router: Router<SyncRequestContext>) {
        router.post(RouterPath(SyncAPI.infoPath)) { try await info($0, context: $1) }
        router.post(RouterPath(SyncAPI.pullPath)) { try await pull($0, context: $1) }
        router.post(RouterPath(SyncAPI.pushPath)) { try await push($0, context: $1) }
        router.post(RouterPath(SyncAPI.snapshotPath)) { try await snapshot($0, context: $1) }
        router.post(RouterPath(SyncAPI.rosterPath)) { try await roster($0, context: $1) }
        router.post(RouterPath(SyncAPI.joinPath)) { try await join($0, context: $1) }
    }

    /// Runs store work on NIO's blocking thread pool. Store calls are synchronous SQLite work
    /// that may wait up to 30 s for another process's write lock: never on an event loop or
    /// Swift's cooperative pool (two threads on a two-core laptop).
    func withStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = self.store
        return try await NIOThreadPool.singleton.runIfActive { try body(store) }
    }
}
