import Crypto
import Foundation
import GRDB
import QunCore

/// A running digest of one replica's history, `digest(n) = SHA-256(digest(n-1) || change n)`
/// over its changes in seq order (each in the canonical form below), from 32 zero bytes, up
/// to the replica's contiguous seq.
///
/// Two stores whose version vectors agree hold as many changes of each replica; the digests
/// say whether they hold the same ones. Without them, a change written under a teammate's id
/// at that teammate's next seq, and the teammate's real change with that seq, would never
/// meet: each store would take the other's vector as proof it has everything. Every byte of
/// a change goes into its digest, so any difference shows.
///
/// The apply path extends a replica's digest in memory while its changes arrive in order
/// (the usual case: local writes, pages of a sync); what arrived out of order is read back
/// from the log when the gap closes.
public enum HistoryDigest {
    static let empty = [UInt8](repeating: 0, count: 32)

    /// A replica's contiguous seq and the digest up to it.
    struct Chain {
        var seq: Int64
        var digest: [UInt8]
    }

    /// The canonical form of one change, as every replica writes it.
    static func canonical(
        into writer: inout ByteWriter, replica: ReplicaID, seq: Int64, hlc: Int64, collection: String, record: String,
        field: String, op: Int64, payload: some Collection<UInt8>
    ) {
        writer.raw(replica.bytes)
        writer.fixed64(UInt64(bitPattern: seq))
        writer.fixed64(UInt64(bitPattern: hlc))
        writer.string(collection)
        writer.string(record)
        writer.string(field)
        writer.uvarint(UInt64(op))
        writer.uvarint(payload.count)
        writer.raw(payload)
    }

    /// Extends `chain` by `change` (which must be the next seq), its operation's payload
    /// already encoded; `scratch` is reused from change to change.
    static func extend(_ chain: inout Chain, with change: Change, payload: [UInt8], scratch: inout ByteWriter) {
        scratch.reset()
        canonical(into: &scratch, replica: change.id.replica, seq: change.id.seq, hlc: change.hlc.rawValue,
                  collection: change.collection, record: change.record, field: change.field,
                  op: Int64(change.operation.code), payload: payload)
        chain.seq = change.id.seq
        extend(&chain.digest, with: scratch.bytes)
    }

    /// `digest = SHA-256(digest || canonical)`, in place.
    static func extend(_ digest: inout [UInt8], with canonical: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: digest)
        hasher.update(data: canonical)
        let next = hasher.finalize()
        digest.withUnsafeMutableBytes { target in next.withUnsafeBytes { target.copyMemory(from: $0) } }
    }

    /// The replica's chain as the log records it.
    static func head(_ db: Database, replicaRow: Int64) throws -> Chain {
        guard let row = try Row.fetchOne(db, sql: "SELECT contiguous, digest FROM replica WHERE rowid = ?", arguments: [replicaRow]) else {
            throw StoreError.corruptRow(table: "replica", detail: "replica row \(replicaRow) is missing")
        }
        return Chain(seq: row["contiguous"], digest: (row["digest"] as Data?).map(Array.init) ?? empty)
    }

    /// Moves the replica's contiguous seq and digest forward from `chain` (its head, possibly
    /// already extended in memory by this transaction) through whatever the log holds next,
    /// and records the result.
    static func advance(_ db: Database, replicaRow: Int64, from chain: Chain) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT id FROM replica WHERE rowid = ?", arguments: [replicaRow]) else {
            throw StoreError.corruptRow(table: "replica", detail: "replica row \(replicaRow) is missing")
        }
        let replica: ReplicaID = try row.required(0, of: "replica")
        let stored = try head(db, replicaRow: replicaRow)
        var chain = chain
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.seq, c.hlc, collection.text AS collection, r.uid, field.text AS field, c.op, c.payload
            FROM change c JOIN record r ON r.rowid = c.record
            JOIN name collection ON collection.rowid = r.collection JOIN name field ON field.rowid = c.field
            WHERE c.replica = ? AND c.seq > ?
            ORDER BY c.seq
            """, arguments: [replicaRow, chain.seq])
        var writer = ByteWriter(capacity: 128)
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            guard seq == chain.seq + 1 else { break }
            writer.reset()
            canonical(into: &writer, replica: replica, seq: seq, hlc: row["hlc"], collection: row["collection"],
                      record: row["uid"], field: row["field"], op: row["op"], payload: (row["payload"] as Data?) ?? Data())
            chain.seq = seq
            extend(&chain.digest, with: writer.bytes)
        }
        guard chain.seq != stored.seq else { return }
        try db.execute(sql: "UPDATE replica SET contiguous = ?, digest = ? WHERE rowid = ?",
                       arguments: [chain.seq, Data(chain.digest), replicaRow])
    }

    /// Computes every replica's digest from the log (once, when the migration adds them).
    static func rebuild(_ db: Database) throws {
        for replica in try Row.fetchAll(db, sql: "SELECT rowid, contiguous FROM replica WHERE contiguous > 0") {
            let row: Int64 = replica["rowid"]
            try db.execute(sql: "UPDATE replica SET contiguous = 0, digest = NULL WHERE rowid = ?", arguments: [row])
            try advance(db, replicaRow: row, from: Chain(seq: 0, digest: empty))
            guard try head(db, replicaRow: row).seq == (replica["contiguous"] as Int64) else {
                throw StoreError.corruptRow(table: "change", detail: "replica row \(row) records seq \(replica["contiguous"] as Int64) but the log does not reach it")
            }
        }
    }
}
