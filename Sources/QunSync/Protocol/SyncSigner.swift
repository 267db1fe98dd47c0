@preconcurrency import Crypto
import Foundation
import QunStore

/// Authenticates sync requests and responses with a key derived from the team secret.
///
/// A request carries `Authorization: Qun-HMAC-SHA256 <mac>` where mac is HMAC-SHA256 over
///
///     METHOD \n PATH \n TEAM \n REPLICA \n TIME \n SHA256(BODY)
///
/// (hex digests, lowercase). The response carries `X-Qun-Signature`: HMAC-SHA256 over
/// `response \n STATUS \n REQUEST-MAC \n SHA256(BODY)` (then the steering headers, see
/// `signedHeaderText`), so a client only accepts answers
/// from a holder of the secret, bound to the question it asked. The secret never crosses the
/// wire. The MACs authenticate; the bodies themselves are sealed (`SealedEnvelope`), and the
/// server refuses stale and replayed requests (`AuthenticationMiddleware`).
public struct SyncSigner: Sendable {
    // Kept as bytes: `SymmetricKey` is not Sendable, and the server shares the signer
    // across request tasks.
    private let keyBytes: [UInt8]
    public let team: String

    public init(team: Store.Team) {
        keyBytes = TeamKeys.derive(team, purpose: "qun http v1").withUnsafeBytes { Array($0) }
        self.team = team.id.hex
    }

    /// A signer with its own key: the answers to a join request are signed with the
    /// invite's key, which the joining laptop holds, not yet the team secret.
    public init(team: String, key: [UInt8]) {
        keyBytes = key
        self.team = team
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public static func digest(_ body: some DataProtocol) -> String {
        SHA256.hash(data: body).hexString
    }

    /// The text a request's signature and team MAC cover.
    public func requestText(method: String, path: String, replica: String, time: String, bodyDigest: String) -> String {
        [method.uppercased(), path, team, replica, time, bodyDigest].joined(separator: "\n")
    }

    public func requestMAC(method: String, path: String, replica: String, time: String, bodyDigest: String) -> String {
        let text = requestText(method: method, path: path, replica: replica, time: time, bodyDigest: bodyDigest)
        return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hexString
    }

    /// The MAC of a join request: keyed by the invite's token, which only the issuing admin
    /// (as a hash) and the invited laptop hold.
    public func inviteMAC(token: [UInt8], method: String, path: String, replica: String, time: String, bodyDigest: String) -> String {
        let text = requestText(method: method, path: path, replica: replica, time: time, bodyDigest: bodyDigest)
        return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: TeamKeys.inviteKey(token))).hexString
    }

    /// - Parameter signedHeaders: `signedHeaderText(_:)` of the response: the protocol
    ///   headers that steer the client (the server's time on a stale request; more pages,
    ///   cursor, vector and encoding in protocol 1) are signed too.
    public func responseMAC(status: Int, requestMAC: String, bodyDigest: String, signedHeaders: String = "") -> String {
        var text = ["response", String(status), requestMAC, bodyDigest].joined(separator: "\n")
        if !signedHeaders.isEmpty { text += "\n" + signedHeaders }
        return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hexString
    }

    /// The response headers covered by the response MAC, in this order, each present one as
    /// `name:value` on its own line (names lowercase); empty when none is present.
    public static let signedResponseHeaders = ["content-encoding", "x-qun-more", "x-qun-next", "x-qun-server-time", "x-qun-vector"]

    public static func signedHeaderText(_ value: (String) -> String?) -> String {
        signedResponseHeaders.compactMap { name in value(name).map { "\(name):\($0)" } }.joined(separator: "\n")
    }

    /// Constant-time comparison of two hex MACs.
    public static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

