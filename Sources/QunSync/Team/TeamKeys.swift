import Crypto
import Foundation
import QunStore

/// Keys derived from a team's secret, one per purpose, so that a key leaked from one use
/// (say, a bundle file) says nothing about another.
public enum TeamKeys {
    /// The key that authenticates bundle files (HMAC-SHA256).
    public static func bundleKey(_ team: Store.Team) -> SymmetricKey {
        derive(team, purpose: "qun bundle v1")
    }

    static func derive(_ team: Store.Team, purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: team.secret),
            salt: Data(team.id.bytes),
            info: Data(purpose.utf8),
            outputByteCount: 32)
    }
}
