import Crypto
import QunCore

/// The unit a laptop signs: its changes `first..<seq` of one commit (a command's changes, cut
/// every `maximumChanges`), closed by a `signature` change at `seq`.
///
/// The signature is Ed25519 by the author's laptop key over
///
///     "qun commit v1" | replica id (16) | first (u64) | last (u64) | SHA-256(changes)
///
/// where the changes are hashed in seq order in the canonical form of history digests. The
/// team is not named: the roster binds a replica id to its key within one team. Every
/// peer checks it before it keeps the changes, and forwards the signature with them, so a
/// change that claims an author it did not come from is refused wherever it arrives.
public struct CommitBlock {
    /// A commit longer than this is signed in several blocks, so that a sync page or a
    /// verifying peer never needs more than this many changes at once.
    public static let maximumChanges = 4096
    /// Nor more payload than this (plus the change that crosses it): a page holds whole
    /// blocks, so a block of large values (a chat import's chunks) must stay small enough for
    /// a request body.
    public static let maximumBytes = 1 << 20

    private var hasher = SHA256()
    private var scratch = ByteWriter(capacity: 256)
    public private(set) var first: Int64?
    public private(set) var count = 0
    /// Payload bytes of the block's changes so far.
    public private(set) var bytes = 0

    public init() {}

    /// Adds the next change of the block.
    public mutating func add(_ change: Change) {
        if first == nil { first = change.id.seq }
        scratch.reset()
        HistoryDigest.canonical(
            into: &scratch, replica: change.id.replica, seq: change.id.seq, hlc: change.hlc.rawValue,
            collection: change.collection, record: change.record, field: change.field,
            op: Int64(change.operation.code), payload: change.operation.payload)
        hasher.update(data: scratch.bytes)
        count += 1
        bytes += change.operation.payload.count
    }

    /// The message the block's signature covers.
    public func message(replica: ReplicaID) -> [UInt8] {
        var writer = ByteWriter(capacity: 96)
        writer.raw(Array("qun commit v1".utf8))
        writer.raw(replica.bytes)
        writer.fixed64(UInt64(first ?? 0))
        writer.fixed64(UInt64((first ?? 0) + Int64(count) - 1))
        writer.raw(Array(hasher.finalize()))
        return writer.bytes
    }

    /// Whether `signature` (a `signature` change's operation) is `publicKey`'s signature of
    /// `changes` (the block's changes in seq order, `first` through the signature's seq − 1).
    public static func verify(_ changes: [Change], signature: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let head = changes.first else { return false }
        var block = CommitBlock()
        for change in changes { block.add(change) }
        return LaptopKey.verify(signature, of: block.message(replica: head.id.replica), by: publicKey)
    }
}
