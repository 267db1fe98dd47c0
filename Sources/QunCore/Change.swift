/// Names one change everywhere: the replica that made it and its position in that
/// replica's gap-free sequence (1, 2, 3, ...).
public struct ChangeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var replica: ReplicaID
    public var seq: Int64

    public init(replica: ReplicaID, seq: Int64) {
        self.replica = replica
        self.seq = seq
    }

    public static func < (a: ChangeID, b: ChangeID) -> Bool {
        (a.replica, a.seq) < (b.replica, b.seq)
    }

    /// `REPLICAHEX:SEQ`, the form used in history output and remove payloads.
    public var description: String { "\(replica.hex):\(seq)" }
}

/// What a change does to its field. Each case is one merge rule:
///
/// - `set`: last-writer-wins register, ordered by `(hlc, replica)`.
/// - `add` / `remove`: add-wins observed-remove set. An add is tagged with its own change id;
///   a remove names the add tags it saw, so an add it did not see survives it.
/// - `append`: an entry of an append-only log (the interaction log). Its identity is its
///   change id, so two operators logging the same words both keep their entry.
/// - `delete` / `restore`: a delete leaves a tombstone token on the record; a restore removes
///   the tokens it saw. The record is deleted while any token is unobserved, so a delete wins
///   over a concurrent restore and over concurrent field edits, and a restore made after
///   seeing the delete brings the record back with all its fields.
/// - `signature`: closes a commit block: the author's laptop-key signature over its changes
///   `first..<seq` (see `CommitBlock` in QunStore). Touches no record.
/// - `roster`: one signed change to the team roster (see `RosterOp` in QunStore). Touches no
///   record: the roster is folded from these changes by its own rules.
/// - `unknown`: an operation code from a newer qun. It is stored and forwarded unchanged and
///   does not touch the materialised state.
public enum Operation: Hashable, Sendable {
    case set(Value)
    case add(String)
    case remove(String, observed: [ChangeID])
    case append(String)
    case delete
    case restore(observed: [ChangeID])
    case signature(first: Int64, bytes: [UInt8])
    case roster([UInt8])
    case unknown(code: UInt8, payload: [UInt8])

    /// The codes of the operations this qun knows (`set` … `roster`); any other is `unknown`.
    public static let knownCodes: ClosedRange<UInt8> = 1...8

    /// Whether the operation leaves every record's state alone (it is kept in the log and
    /// forwarded, and read by its own rules).
    public var isInert: Bool {
        switch self {
        case .signature, .roster, .unknown: return true
        default: return false
        }
    }

    /// The one-byte code stored in the change log and on the wire.
    public var code: UInt8 {
        switch self {
        case .set: return 1
        case .add: return 2
        case .remove: return 3
        case .append: return 4
        case .delete: return 5
        case .restore: return 6
        case .signature: return 7
        case .roster: return 8
        case .unknown(let code, _): return code
        }
    }

    public var name: String {
        switch self {
        case .set: return "set"
        case .add: return "add"
        case .remove: return "remove"
        case .append: return "append"
        case .delete: return "delete"
        case .restore: return "restore"
        case .signature: return "signature"
        case .roster: return "roster"
        case .unknown(let code, _): return "op\(code)"
        }
    }
}

/// One replicated edit: the unit that is logged, synced and merged.
///
/// `field` is empty for record-level operations (`delete`, `restore`).
public struct Change: Hashable, Sendable {
    public var id: ChangeID
    public var hlc: HLC
    public var collection: String
    public var record: String
    public var field: String
    public var operation: Operation

    public init(id: ChangeID, hlc: HLC, collection: String, record: String, field: String, operation: Operation) {
        self.id = id
        self.hlc = hlc
        self.collection = collection
        self.record = record
        self.field = field
        self.operation = operation
    }

    /// The key of last-writer-wins order.
    public var stamp: Stamp { Stamp(hlc: hlc, replica: id.replica) }
}

/// The total order of changes: hybrid logical time, then replica id to break ties.
public struct Stamp: Hashable, Comparable, Sendable {
    public var hlc: HLC
    public var replica: ReplicaID

    public init(hlc: HLC, replica: ReplicaID) {
        self.hlc = hlc
        self.replica = replica
    }

    public static func < (a: Stamp, b: Stamp) -> Bool {
        (a.hlc, a.replica) < (b.hlc, b.replica)
    }
}
