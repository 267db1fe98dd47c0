import Crypto
import Foundation

/// This laptop's own key pair: Ed25519 to sign its commits and requests, X25519 to receive the
/// team's data keys sealed to it (`KeyGrant`).
///
/// Made by `qun init` (or on first open after an upgrade), kept in the store's `meta` table,
/// never sent: snapshots are written without it. A copied store makes a new pair along with
/// its new replica id, so the copy cannot speak for the original.
public struct LaptopKey: Sendable, Equatable {
    /// The raw 32-byte private keys.
    let signingSeed: [UInt8]
    let agreementSeed: [UInt8]

    public static func generate() -> LaptopKey {
        LaptopKey(signingSeed: Array(Curve25519.Signing.PrivateKey().rawRepresentation),
                  agreementSeed: Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation))
    }

    init(signingSeed: [UInt8], agreementSeed: [UInt8]) {
        self.signingSeed = signingSeed
        self.agreementSeed = agreementSeed
    }

    /// The form kept in `meta`: both private keys, hex.
    init?(stored hex: String) {
        let bytes = Store.bytes(hex: hex)
        guard bytes.count == 64 else { return nil }
        signingSeed = Array(bytes[0..<32])
        agreementSeed = Array(bytes[32..<64])
    }

    var stored: String { (signingSeed + agreementSeed).hexString }

    private var signingKey: Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: signingSeed)
    }

    var agreementKey: Curve25519.KeyAgreement.PrivateKey {
        try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: agreementSeed)
    }

    public var signingPublicKey: [UInt8] { Array(signingKey.publicKey.rawRepresentation) }
    public var agreementPublicKey: [UInt8] { Array(agreementKey.publicKey.rawRepresentation) }

    /// An Ed25519 signature of `message` (64 bytes).
    public func sign(_ message: some DataProtocol) -> [UInt8] {
        Array(try! signingKey.signature(for: message))
    }

    /// Whether `signature` is `publicKey`'s signature of `message`; false for any malformed
    /// key or signature.
    public static func verify(_ signature: some DataProtocol, of message: some DataProtocol, by publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// The team id of a team founded by the holder of `signingPublicKey`: the first 16 bytes
    /// of its SHA-256, so that the founding roster entry proves itself.
    public static func teamID(foundedBy signingPublicKey: [UInt8]) -> ReplicaIDBytes {
        var hasher = SHA256()
        hasher.update(data: Array("qun team v2".utf8))
        hasher.update(data: signingPublicKey)
        return Array(hasher.finalize().prefix(16))
    }
}

public typealias ReplicaIDBytes = [UInt8]

extension Sequence where Element == UInt8 {
    /// Lowercase hex.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
