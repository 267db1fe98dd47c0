import Foundation
import Hummingbird
import NIOCore
import QunStore

extension SyncEndpoints {
    /// `GET /v1/snapshot`: a consistent copy of the whole store (an SQLite file), for a new
    /// teammate to start from instead of replaying the log.
    ///
    /// The copy holds the team secret, so it is written next to the store (same directory
    /// permissions), not in a shared temporary directory, and removed once read.
    func snapshot(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let bytes = try await withStore { store in
            let file = store.directory.appendingPathComponent(".snapshot-\(UUID().uuidString).sqlite")
            defer { try? FileManager.default.removeItem(at: file) }
            try store.writeSnapshot(to: file)
            return ByteBuffer(bytes: try Data(contentsOf: file))
        }
        return Response(status: .ok, headers: [.contentType: SyncAPI.sqliteMediaType], body: .init(byteBuffer: bytes))
    }
}
