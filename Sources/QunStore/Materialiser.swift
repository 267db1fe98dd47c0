import GRDB
import QunCore

/// Keeps one collection's derived table up to date from merged record state.
///
/// The apply path calls `write` once per record a transaction touched, after every change
/// of the transaction is in `field_value` and `set_tag`, then `finish` once. Rows that
/// depend on *other* records (a recurring task's instances inherit from their template, a
/// run-sheet task follows its event) are refreshed in `finish`, when every touched record of
/// every collection has been written.
protocol Materialiser {
    /// Rewrites the derived row of one touched record from its merged state.
    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws
    /// Runs once per transaction after every `write`.
    mutating func finish(tx: WriteTransaction) throws
}

extension Materialiser {
    mutating func finish(tx: WriteTransaction) throws {}
}

/// The collections that have a derived table, and how to make each one's materialiser: the
/// record kinds (`RecordKinds`).
enum Materialisers {
    /// Collections with a derived table, in the order their `finish` runs.
    static let collections: [String] = RecordKinds.all.map { $0.collection } + [.chatCollection]

    static func make(_ collection: String, _ db: Database) throws -> (any Materialiser)? {
        if collection == .chatCollection { return try ChatMaterialiser(db) }
        return try RecordKinds.kind(of: collection)?.makeMaterialiser(db)
    }
}

/// The `member` table (see `MemberTable`).
struct MemberMaterialiser: Materialiser {
    let statement: FastStatement

    init(_ db: Database) throws { statement = try MemberTable.writeStatement(db) }

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        try MemberTable.write(snapshot, record: record, uid: uid, with: statement, db: tx.db)
    }
}

extension WriteTransaction {
    /// Rewrites the derived table of `collection` from the merged state of every record of it
    /// (see `Migrations`).
    func rematerialise(_ collection: String) throws {
        guard var materialiser = try Materialisers.make(collection, db) else { return }
        let emptyField = try interner.nameRow("")
        let rows = try Row.fetchAll(db, sql: """
            SELECT record.rowid, record.uid,
                   EXISTS (SELECT 1 FROM set_tag WHERE set_tag.record = record.rowid AND field = ? AND \(MergeRules.present(.deleteToken)))
            FROM record JOIN name ON name.rowid = record.collection WHERE name.text = ?
            """, arguments: [emptyField, collection])
        for row in rows {
            let snapshot = try RecordSnapshot.load(record: row[0], deleted: row[2], db: db, interner: interner)
            try materialiser.write(snapshot, record: row[0], uid: row[1], tx: self)
        }
        try materialiser.finish(tx: self)
    }
}
