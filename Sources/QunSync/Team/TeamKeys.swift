import Crypto
import Foundation
import QunStore

/// Keys derived from a team's secret, one per purpose, so that a key leaked from one use
/// (say, a bundle file) says nothing about another.
public enum TeamKeys {
    /// The key that authenticated bundle files of format 1 (HMAC-SHA256). Kept to read
    /// bundles made by earlier releases; new bundles are sealed (`SealedEnvelope`).
    public static func bundleKey(_ team: Store.Team) -> SymmetricKey {
        derive(team, purpose: "qun bundle v1")
    }

    /// The key of a key epoch, from which every sealing key of that epoch is derived.
    ///
    /// Epoch 1 comes from the team secret every teammate already holds, so stores and
    /// invites of earlier releases need nothing new. Later epochs (when a teammate is
    /// removed) are random keys handed to the remaining laptops; `KeyRing` holds them.
    public static func epochKey(_ team: Store.Team, epoch: UInt32) -> [UInt8]? {
        guard epoch == 1 else { return nil }
        return derive(team, purpose: "qun team key epoch 1").withUnsafeBytes { Array($0) }
    }

    /// The key a join request is authenticated and sealed with: the SHA-256 of the invite's
    /// token, which is also what the issuing laptop keeps of it.
    public static func inviteKey(_ token: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: token))
    }

        static func derive(_ team: Store.Team, purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: team.secret),
            salt: Data(team.id.bytes),
            info: Data(purpose.utf8),
            outputByteCount: 32)
    }
}

/// The epoch keys a laptop holds, and the one it seals with.
///
/// A receiver opens an envelope with the key of the epoch the envelope names; a sender seals
/// with `current`. Kept as bytes: `SymmetricKey` is not `Sendable`, and the server shares the
/// ring across request tasks.
public struct KeyRing: Sendable {
    public let team: Store.Team
    public let current: UInt32
    private let keys: [UInt32: [UInt8]]

    /// The ring of a team that has never rotated its key: epoch 1 only.
    public init(team: Store.Team) {
        self.team = team
        current = 1
        keys = [1: TeamKeys.epochKey(team, epoch: 1)!]
    }

    /// The ring of the keys a store holds (`Store.epochKeys()`), sealing with the newest.
    public init(team: Store.Team, keys: [UInt32: [UInt8]]) {
        self.team = team
        var keys = keys
        if keys[1] == nil { keys[1] = TeamKeys.epochKey(team, epoch: 1)! }
        current = keys.keys.max()!
        self.keys = keys
    }

    /// A ring of one key, as `epoch`: the invite key of a join request is epoch 0.
    public init(team: Store.Team, only epoch: UInt32, key: [UInt8]) {
        self.team = team
        current = epoch
        keys = [epoch: key]
    }

    /// The ring of `store`'s keys.
    public init(store: Store) throws {
        guard let team = store.identity.team else { throw StoreError.noTeam }
        self.init(team: team, keys: try store.epochKeys())
    }

    private init(team: Store.Team, current: UInt32, keys: [UInt32: [UInt8]]) {
        self.team = team
        self.current = current
        self.keys = keys
    }

    /// The key of `epoch`, or nil when this laptop does not hold it.
    public func key(epoch: UInt32) -> [UInt8]? { keys[epoch] }

    /// The same ring sealing with `epoch` (to answer in the epoch a request came in), or nil
    /// when this laptop does not hold it.
    public func sealing(with epoch: UInt32) -> KeyRing? {
        keys[epoch] == nil ? nil : KeyRing(team: team, current: epoch, keys: keys)
    }
}
