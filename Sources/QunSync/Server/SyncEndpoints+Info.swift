import Hummingbird
import QunCore
import QunStore

extension SyncEndpoints {
    /// `GET /v1/info`: who this store is, its schema version and its version vector.
    ///
    /// An `X-Qun-Vector` header, when present and well-formed, tells what the asking replica
    /// holds; it is recorded like the vector of a push.
    func info(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let peer = context.peer
        let peerVector = request.headers[.qunVector].flatMap(VersionVector.init(parsing:))
        let info = try await withStore { store in
            if let peer, let peerVector { try store.recordPeerKnowledge(peer, vector: peerVector) }
            // Cheap reads only: info starts every sync, and must not cost more on a big store.
            return PeerInfo(
                replica: store.identity.replica.hex, team: store.identity.team?.id.hex ?? "",
                operatorName: store.identity.operatorName, schema: try store.schemaVersion(),
                vector: try store.versionVector().description, maximumBodyBytes: SyncAPI.maximumBodyBytes)
        }
        return try .json(info)
    }
}
