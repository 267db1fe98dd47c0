import Foundation
import Hummingbird
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v2/push`: applies one page of changes in one transaction, all of it or none.
    ///
    /// The request is a frame (`SealedFrame`): a `PushHead` whose vector, when well-formed,
    /// tells what the pushing replica holds (for `status` and `bundle export --for`), and
    /// the change batch (QCB1). The inflated size counts against the body limit.
    func push(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let (head, batch) = try SealedFrame.decode(context.plaintext, head: PushHead.self)
        let peer = context.peer
        let peerVector = head.vector.flatMap(VersionVector.init(parsing:))
        let response = try await withStore { store in
            let changes = try ChangeBatch.decode(Array(batch))
            let report = try store.apply(changes)
            if let peer, let peerVector {
                try store.recordPeerKnowledge(peer, vector: peerVector)
            }
            return PushResponse(
                received: report.received, applied: report.applied, duplicates: report.duplicates,
                held: report.held, heldAheadMilliseconds: report.heldAhead.values.max() ?? 0,
                vector: try store.versionVector().description)
        }
        return try context.sealer().json(response)
    }
}
