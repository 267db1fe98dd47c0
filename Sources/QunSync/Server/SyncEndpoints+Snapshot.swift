import Foundation
import Hummingbird
import NIOCore
import QunStore

extension SyncEndpoints {
    /// `POST /v2/snapshot`: a consistent copy of the whole store (an SQLite file), sealed,
    /// for a new teammate to start from instead of replaying the log.
    ///
    /// The copy holds the team secret, so it is written next to the store (same directory
    /// permissions), not in a shared temporary directory, and removed once read. It is sealed
    /// in chunks (`SealedEnvelope`), so the joining laptop opens it as it arrives.
    func snapshot(_ request: Request, context: SyncRequestContext) async throws -> Response {
        do {
            _ = try JSONDecoder().decode(SnapshotRequest.self, from: Data(context.plaintext))
        } catch {
            throw SyncError.badRequest("the snapshot request is not a JSON object")
        }
        let sealer = try context.sealer()
        let bytes = try await withStore { store in
            let file = store.directory.appendingPathComponent(".snapshot-\(UUID().uuidString).sqlite")
            defer { try? FileManager.default.removeItem(at: file) }
            try store.writeSnapshot(to: file)
            return Array(try Data(contentsOf: file))
        }
        return try sealer.response(bytes, compress: false)
    }
}
