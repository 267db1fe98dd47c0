import Crypto
import Foundation
import QunCore

/// A data key sealed to one teammate's X25519 key: an ephemeral key agreement, HKDF, then
/// ChaCha20-Poly1305. Only the holder of that laptop's private key can open it; anyone may
/// carry it.
public struct KeyGrant: Codable, Equatable, Sendable {
    /// The recipient laptop (hex replica id).
    public var replica: String
    /// The ephemeral X25519 public key (hex).
    public var eph: String
    /// Nonce, ciphertext and tag of the 32-byte key (hex).
    public var box: String

    public static func seal(
        _ key: [UInt8], purpose: String, team: ReplicaID, to recipient: ReplicaID, agreementKey: [UInt8]
    ) throws -> KeyGrant {
        let publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: agreementKey)
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: publicKey)
        let ephemeralPublic = Array(ephemeral.publicKey.rawRepresentation)
        let box = try ChaChaPoly.seal(key, using: boxKey(shared, purpose: purpose, team: team, recipient: recipient, ephemeral: ephemeralPublic))
        return KeyGrant(replica: recipient.hex, eph: ephemeralPublic.hexString, box: Array(box.combined).hexString)
    }

    /// The key, or nil when it is not sealed to `laptop` or was altered.
    public func open(purpose: String, team: ReplicaID, recipient: ReplicaID, with laptop: LaptopKey) -> [UInt8]? {
        let ephemeral = Store.bytes(hex: eph)
        guard recipient.hex == replica,
              let publicKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: ephemeral),
              let shared = try? laptop.agreementKey.sharedSecretFromKeyAgreement(with: publicKey),
              let sealed = try? ChaChaPoly.SealedBox(combined: Store.bytes(hex: box)),
              let key = try? ChaChaPoly.open(sealed, using: KeyGrant.boxKey(shared, purpose: purpose, team: team, recipient: recipient, ephemeral: ephemeral)),
              key.count == 32 else { return nil }
        return Array(key)
    }

    private static func boxKey(_ shared: SharedSecret, purpose: String, team: ReplicaID, recipient: ReplicaID, ephemeral: [UInt8]) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: team.bytes,
            sharedInfo: Array("qun key grant v1 \(purpose) ".utf8) + recipient.bytes + ephemeral,
            outputByteCount: 32)
    }
}
