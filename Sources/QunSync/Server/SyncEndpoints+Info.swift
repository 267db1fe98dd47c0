import Hummingbird
import QunStore

extension SyncEndpoints {
    /// `GET /v1/info`: who this store is, its schema version and its version vector.
    func info(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let info = try await withStore { store in
            let status = try store.status()
            return PeerInfo(
                replica: status.replica.hex, team: status.team?.hex ?? "", operatorName: status.operatorName,
                schema: status.schemaVersion, vector: status.vector.description,
                maximumBodyBytes: SyncAPI.maximumBodyBytes)
        }
        return try .json(info)
    }
}
