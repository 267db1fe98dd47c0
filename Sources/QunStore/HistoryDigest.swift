import Crypto
import Foundation
import GRDB
import QunCore

/// A running digest of one replica's history: `digest(n) = SHA-256(digest(n-1) || hash(change n))`
/// over its changes in seq order, from 32 zero bytes, up to the replica's contiguous seq.
///
/// Two stores whose version vectors agree hold as many changes of each replica; the digests
/// say whether they hold the same ones. Without them, a change written under a teammate's id
/// at that teammate's next seq, and the teammate's real change with that seq, would never
/// meet: each store would take the other's vector as proof it has everything. A change's
/// hash covers every byte of it, so any difference shows.
public enum HistoryDigest {
    static let empty = [UInt8](repeating: 0, count: 32)

    /// The hash of one change, in a form every replica computes alike.
    static func hash(
        replica: ReplicaID, seq: Int64, hlc: Int64, collection: String, record: String, field: String,
        op: Int64, payload: some Sequence<UInt8>
    ) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(replica.bytes)
        writer.fixed64(UInt64(bitPattern: seq))
        writer.fixed64(UInt64(bitPattern: hlc))
        writer.string(collection)
        writer.string(record)
        writer.string(field)
        writer.uvarint(UInt64(op))
        let bytes = Array(payload)
        writer.uvarint(bytes.count)
        writer.raw(bytes)
        return Array(SHA256.hash(data: writer.bytes))
    }

    static func hash(_ change: Change) -> [UInt8] {
        hash(replica: change.id.replica, seq: change.id.seq, hlc: change.hlc.rawValue, collection: change.collection,
             record: change.record, field: change.field, op: Int64(change.operation.code), payload: change.operation.payload)
    }

    static func extend(_ digest: [UInt8], with hash: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: digest + hash))
    }

    /// Moves the replica's contiguous seq and digest forward through the changes the log now
    /// holds. `known` has the hashes of changes this transaction applied (most of what
    /// follows); others, received earlier out of order, are read back from the log.
    static func advance(_ db: Database, replicaRow: Int64, known: [Int64: [UInt8]]) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, contiguous, digest FROM replica WHERE rowid = ?", arguments: [replicaRow]),
              let replica = ReplicaID(bytes: (row["id"] as Data?) ?? Data()) else {
            throw StoreError.invalidChange("replica row \(replicaRow) is missing or damaged")
        }
        let start: Int64 = row["contiguous"]
        var contiguous = start
        var digest = (row["digest"] as Data?).map(Array.init) ?? empty
        let seqs = try Int64.fetchCursor(db, sql: "SELECT seq FROM change WHERE replica = ? AND seq > ? ORDER BY seq",
                                         arguments: [replicaRow, contiguous])
        var missing: [Int64] = []
        var order: [Int64] = []
        while let seq = try seqs.next(), seq == contiguous + 1 {
            contiguous = seq
            order.append(seq)
            if known[seq] == nil { missing.append(seq) }
        }
        guard contiguous != start else { return }
        var read: [Int64: [UInt8]] = [:]
        if !missing.isEmpty {
            let statement = try db.cachedStatement(sql: """
                SELECT c.hlc, collection.text AS collection, r.uid, field.text AS field, c.op, c.payload
                FROM change c JOIN record r ON r.rowid = c.record
                JOIN name collection ON collection.rowid = r.collection JOIN name field ON field.rowid = c.field
                WHERE c.replica = ? AND c.seq = ?
                """)
            for seq in missing {
                guard let change = try Row.fetchOne(statement, arguments: [replicaRow, seq]) else { continue }
                read[seq] = hash(replica: replica, seq: seq, hlc: change["hlc"], collection: change["collection"],
                                 record: change["uid"], field: change["field"], op: change["op"],
                                 payload: (change["payload"] as Data?) ?? Data())
            }
        }
        for seq in order {
            guard let hash = known[seq] ?? read[seq] else { throw StoreError.invalidChange("change \(replica.hex):\(seq) is unreadable") }
            digest = extend(digest, with: hash)
        }
        try db.execute(sql: "UPDATE replica SET contiguous = ?, digest = ? WHERE rowid = ?",
                       arguments: [contiguous, Data(digest), replicaRow])
    }

    /// Computes every replica's digest from the log (once, when the migration adds them).
    static func rebuild(_ db: Database) throws {
        let replicas = try Row.fetchAll(db, sql: "SELECT rowid, contiguous FROM replica WHERE contiguous > 0")
        for replica in replicas {
            let row: Int64 = replica["rowid"]
            try db.execute(sql: "UPDATE replica SET contiguous = 0, digest = NULL WHERE rowid = ?", arguments: [row])
            try advance(db, replicaRow: row, known: [:])
            let contiguous = try Int64.fetchOne(db, sql: "SELECT contiguous FROM replica WHERE rowid = ?", arguments: [row])
            guard contiguous == (replica["contiguous"] as Int64) else {
                throw StoreError.invalidChange("replica row \(row): the log does not reach its recorded seq")
            }
        }
    }
}
