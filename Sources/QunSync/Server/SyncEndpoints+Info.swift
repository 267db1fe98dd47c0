import Hummingbird
import QunStore

extension SyncEndpoints {
    /// `GET /v1/info`: who this store is, its schema version and its version vector.
    func info(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let info = try await withStore { store in
            // Cheap reads only: info starts every sync, and must not cost more on a big store.
            PeerInfo(
                replica: store.identity.replica.hex, team: store.identity.team?.id.hex ?? "",
                operatorName: store.identity.operatorName, schema: try store.schemaVersion(),
                vector: try store.versionVector().description, maximumBodyBytes: SyncAPI.maximumBodyBytes)
        }
        return try .json(info)
    }
}
