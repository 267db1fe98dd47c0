import Foundation
import QunCore

/// What a teammate may do. Ordered: each role can do what the ones below it can.
public enum TeamRole: String, Codable, Sendable, Comparable, CaseIterable {
    /// Reads the team's data; every peer refuses its changes.
    case viewer
    /// Reads and writes the team's data.
    case editor
    /// Also changes the roster: invites, roles, removals, key epochs.
    case admin

    public static func < (a: TeamRole, b: TeamRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var canWrite: Bool { self != .viewer }
}

/// One change to the team roster, kept as the JSON payload of a `roster` operation in the
/// change log and signed, like every change, by its author's commit signature.
///
/// The roster is not a record with fields: it is folded from all these operations by the
/// rules in `Roster`, because whether an operation counts depends on who wrote it and what
/// they could do at that point.
public struct RosterOp: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// The founder of a team made by this release enters itself as admin. Its key hashes
        /// to the team id, so no one else can write a valid one.
        case found
        /// A laptop of an open team (one from an earlier release, or made with
        /// `init --open`) enters itself as editor.
        case claim
        /// An admin enters a laptop (an invite was redeemed).
        case add
        /// An admin changes a teammate's role.
        case role
        /// An admin removes a teammate, for good.
        case revoke
        /// An admin closes the team to laptops that enter themselves (`claim`).
        case lock
        /// An admin starts a key epoch: a new data key, sealed to each remaining teammate.
        case epoch
        /// An admin seals an epoch's key to teammates the epoch did not reach (a laptop whose
        /// roster entry arrived after the epoch started).
        case grant
    }

    public var kind: Kind
    /// The laptop the operation is about (hex replica id); for `found` and `claim`, the author.
    public var replica: String?
    public var name: String?
    /// Ed25519 public key (hex).
    public var sign: String?
    /// X25519 public key (hex).
    public var agree: String?
    public var role: TeamRole?
    /// `revoke`: the removed laptop's highest seq its author held: those changes stay.
    public var seen: Int64?
    /// `claim`: the HLC of the claimant's first change, which picks the founder of a team
    /// from an earlier release (the laptop that wrote first).
    public var first: Int64?
    public var epoch: UInt32?
    public var grants: [KeyGrant]?
    /// The author's version vector when it wrote this: what it had seen. A revocation counts
    /// when its author was an admin in the roster made of the operations it had seen.
    public var vector: [String: Int64]?

    public init(kind: Kind) { self.kind = kind }

    /// The payload bytes: JSON with sorted keys, so that every laptop stores the same bytes.
    public var payload: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }

    public init(payload: [UInt8]) throws {
        self = try JSONDecoder().decode(RosterOp.self, from: Data(payload))
    }
}

/// A roster operation as the log holds it.
public struct LoggedRosterOp: Sendable, Equatable {
    public var id: ChangeID
    public var stamp: Stamp
    public var op: RosterOp
    /// The first seq of the commit block that carries it: where its author's signed history
    /// starts, for `found` and `claim`.
    public var blockFirst: Int64

    public init(id: ChangeID, stamp: Stamp, op: RosterOp, blockFirst: Int64) {
        self.id = id
        self.stamp = stamp
        self.op = op
        self.blockFirst = blockFirst
    }
}
