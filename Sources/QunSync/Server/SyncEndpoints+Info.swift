import Foundation
import Hummingbird
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v2/info`: who this store is, its schema version and its version vector.
    ///
    /// The request (`InfoRequest`) may say what the asking replica holds; when its vector is
    /// well-formed it is recorded like the vector of a push.
    func info(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let asked: InfoRequest
        do {
            asked = try JSONDecoder().decode(InfoRequest.self, from: Data(context.plaintext))
        } catch {
            throw SyncError.badRequest(#"the info request is not JSON of the form {"vector": "HEX:SEQ,..."}"#)
        }
        let peer = context.peer
        let peerVector = asked.vector.flatMap(VersionVector.init(parsing:))
        let info = try await withStore { store in
            if let peer, let peerVector { try store.recordPeerKnowledge(peer, vector: peerVector) }
            // Cheap reads only: info starts every sync, and must not cost more on a big store.
            return PeerInfo(
                replica: store.identity.replica.hex, team: store.identity.team?.id.hex ?? "",
                operatorName: store.identity.operatorName, schema: try store.schemaVersion(),
                vector: try store.versionVector().description, maximumBodyBytes: SyncAPI.maximumBodyBytes,
                digests: try store.historyDigests().reduce(into: [:]) { $0[$1.key.hex] = "\($1.value.seq):\($1.value.digest)" })
        }
        return try context.sealer().json(info)
    }
}
