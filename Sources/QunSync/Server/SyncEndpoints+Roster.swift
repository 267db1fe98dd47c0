import Foundation
import Hummingbird
import QunCore
import QunStore

/// `POST /v2/join` request: the joining laptop's new replica id and keys, made before it has
/// any store.
public struct JoinRequest: Codable, Equatable, Sendable {
    public var replica: String
    public var name: String
    /// Ed25519 and X25519 public keys (hex).
    public var sign: String
    public var agree: String
}

/// The head of the `POST /v2/roster` answer: how many of the client's roster changes were
/// new here. A change batch of this store's roster commits follows.
public struct RosterAnswerHead: Codable, Equatable, Sendable {
    public var applied: Int
    /// Of them, held back here: stamped too far ahead of this laptop's clock.
    public var held: Int?
}

/// `POST /v2/join` answer: the role the invite gave, and the team secret and the current
/// data key, each sealed to the joining laptop's X25519 key (`KeyGrant`).
public struct JoinResponse: Codable, Equatable, Sendable {
    public var role: String
    public var epoch: UInt32
    public var secret: KeyGrant
    public var key: KeyGrant
}

extension SyncEndpoints {
    /// `POST /v2/roster`: the first step of every sync. The body is a change batch of the
    /// client's roster commits (`Store.rosterChanges()`), applied here through the
    /// authorship check; the answer is a frame: `RosterAnswerHead`, then this store's roster commits. Both travel in key
    /// epoch 1, which every teammate holds, so a laptop behind on key epochs learns the new
    /// key (its grant is in the roster) before any data moves.
    func roster(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let changes: [Change]
        do {
            changes = try ChangeBatch.decode(context.plaintext, maximumChanges: SyncAPI.maximumPageChanges)
        } catch let error as QunCore.DecodingError {
            throw SyncError.badRequest("the roster exchange is not a change batch (\(error)); nothing was applied")
        }
        guard changes.allSatisfy({ $0.collection == .rosterCollection || $0.collection == .commitCollection }) else {
            throw SyncError.badRequest("the roster exchange carries changes that are not the roster's; nothing was applied")
        }
        let answer = try await withStore { store in
            let report = try store.apply(changes)
            return try SealedFrame.encode(head: RosterAnswerHead(applied: report.applied, held: report.held), batch: ChangeBatch.encode(try store.rosterChanges()))
        }
        return try context.sealer().response(answer)
    }

    /// `POST /v2/join`: redeems an invite this laptop issued (the middleware checked the
    /// request against it) and answers with the keys the new laptop needs, sealed to it.
    func join(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let asked: JoinRequest
        do {
            asked = try JSONDecoder().decode(JoinRequest.self, from: Data(context.plaintext))
        } catch {
            throw SyncError.badRequest("the join request is not JSON of the form {\"replica\", \"name\", \"sign\", \"agree\"}")
        }
        guard let replica = ReplicaID(hex: asked.replica), replica == context.peer,
              Store.bytes(hex: asked.sign).count == 32, Store.bytes(hex: asked.agree).count == 32,
              !asked.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SyncError.badRequest("the join request names a malformed replica id or key, or no name")
        }
        guard let key = context.answer?.ring.key(epoch: 0) else { throw SyncError.internalError }
        let response = try await withStore { store -> JoinResponse in
            let role: TeamRole
            do {
                role = try store.redeemInvite(key: key, replica: replica, name: asked.name,
                                              signingKey: Store.bytes(hex: asked.sign), agreementKey: Store.bytes(hex: asked.agree))
            } catch let refusal as InviteRefusal {
                throw SyncError(.forbidden, refusal.description)
            }
            guard let team = store.identity.team else { throw StoreError.noTeam }
            let ring = try KeyRing(store: store)
            let agree = Store.bytes(hex: asked.agree)
            return JoinResponse(
                role: role.rawValue, epoch: ring.current,
                secret: try KeyGrant.seal(team.secret, purpose: "secret", team: team.id, to: replica, agreementKey: agree),
                key: try KeyGrant.seal(ring.key(epoch: ring.current)!, purpose: "epoch \(ring.current)", team: team.id, to: replica, agreementKey: agree))
        }
        return try context.sealer().json(response)
    }
}
