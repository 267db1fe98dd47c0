import Foundation
import Hummingbird
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v2/push`: applies one page of changes in one transaction, all of it or none.
    ///
    /// The request is a frame (`SealedFrame`): a `PushHead` whose vector, when well-formed,
    /// tells what the pushing replica holds (for `status` and `bundle export --for`), and
    /// the change batch (QCB1). The inflated size counts against the body limit, and a page
    /// holds at most `SyncAPI.maximumPageSize` changes, of which at most
    /// `maximumUnknownPerPage` of operations this qun does not know: a page is one write
    /// transaction, and nobody may hold the store's write lock for long. Nor does the store
    /// keep more than `maximumUnknownPerReplica` of those from one origin replica.
    func push(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let head: PushHead
        let batch: ArraySlice<UInt8>
        do {
            (head, batch) = try SealedFrame.decode(context.plaintext, head: PushHead.self)
        } catch let error as QunCore.DecodingError {
            throw SyncError.badRequest("the push is not a head followed by a change batch (\(error)); nothing was applied")
        }
        if context.role == .viewer {
            throw SyncError(.forbidden, "this laptop is a viewer in the team: its changes are refused by every teammate; an admin can make it an editor (`qun team role NAME editor`); nothing was applied")
        }
        let peer = context.peer
        let peerVector = head.vector.flatMap(VersionVector.init(parsing:))
        let changes: [Change]
        do {
            changes = try ChangeBatch.decode(Array(batch), maximumChanges: SyncAPI.maximumPageChanges)
        } catch let error as QunCore.DecodingError {
            if case .tooManyChanges(let count, _, _) = error {
                throw SyncError(.contentTooLarge, "the page holds \(count) changes; a page holds at most \(SyncAPI.maximumPageChanges): send smaller pages; nothing was applied")
            }
            throw error
        }
        let unknown = changes.count { if case .unknown = $0.operation { true } else { false } }
        guard unknown <= SyncAPI.maximumUnknownPerPage else {
            throw SyncError.badRequest("the page holds \(unknown) changes of operations this laptop's qun does not know (at most \(SyncAPI.maximumUnknownPerPage) a page): if they come from a newer qun, upgrade qun on this laptop; nothing was applied")
        }
        let unknownByOrigin = changes.reduce(into: [ReplicaID: Int]()) { counts, change in
            if case .unknown = change.operation { counts[change.id.replica, default: 0] += 1 }
        }
        let perReplica = maximumUnknownPerReplica
        let response = try await withStore { store in
            for (origin, count) in unknownByOrigin {
                let held = try store.unknownOperationCount(of: origin)
                guard held + count <= perReplica else {
                    throw SyncError.badRequest("this laptop already keeps \(held) changes of operations its qun does not know from replica \(origin.hex.prefix(8)), and keeps at most \(perReplica): if they come from a newer qun, upgrade qun on this laptop; nothing was applied")
                }
            }
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
