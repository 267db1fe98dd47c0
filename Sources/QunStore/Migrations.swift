import GRDB
import QunCore
import QunSchema

/// Applies the numbered scripts of `schema/migrations` that a database has not run yet,
/// each in its own transaction, recording progress in `PRAGMA user_version`.
///
/// Opening an up-to-date store costs one `user_version` read.
enum Migrations {
    /// For a store opened read-only: its schema must be the current one, since upgrading it
    /// needs write access.
    static func checkCurrent(on reader: some DatabaseReader) throws {
        let version = try reader.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
        let known = Schema.currentVersion
        if version > known { throw StoreError.newerSchema(found: version, known: known) }
        if version < known { throw StoreError.readOnlyUpgrade(found: version, known: known) }
    }

    static func run(on writer: some DatabaseWriter) throws {
        let version = try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
        let known = Schema.currentVersion
        if version > known { throw StoreError.newerSchema(found: version, known: known) }
        if version == known { return }
        for migration in try Schema.migrations() {
            try writer.write { db in
                // Re-read inside the write lock: another process may have migrated meanwhile.
                let current = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard migration.version > current else { return }
                try db.execute(sql: migration.sql)
                try rematerialise(after: migration.version, db)
                if migration.version == 6 { try HistoryDigest.rebuild(db) }
                try db.execute(sql: "PRAGMA user_version = \(migration.version)")
            }
        }
    }

    /// The collections whose derived table a migration creates.
    static let derivedTables: [Int: [String]] = [
        4: [.taskCollection], 5: [.eventCollection], 8: [.templateCollection], 9: [.postCollection], 10: [.rewardCollection],
        // The member table gains the QQ number a newer teammate may already have sent.
        11: [.chatCollection, .memberCollection],
    ]

    /// Fills a derived table that a migration has just created. Records of that collection
    /// may already be in the log: a teammate on a newer qun sent them, and this store kept
    /// them as unknown records until it learnt what they are.
    private static func rematerialise(after version: Int, _ db: Database) throws {
        for collection in derivedTables[version] ?? [] { try rematerialise(collection, db) }
    }

    private static func rematerialise(_ collection: String, _ db: Database) throws {
        guard let replica = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'")
                .flatMap(ReplicaID.init(hex:)),
              try Bool.fetchOne(db, sql: """
                  SELECT EXISTS (SELECT 1 FROM record JOIN name ON name.rowid = record.collection WHERE name.text = ?)
                  """, arguments: [collection]) == true,
              // Members need rewriting only when some member already has a QQ number.
              try collection != .memberCollection || Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM name WHERE text = ?)",
                                                                   arguments: [Member.Field.qq.rawValue]) == true
        else { return }
        let tx = try WriteTransaction(db: db, replica: replica, now: Store.systemClock(),
                                      skew: ClockSkewPolicy(maximumAheadMilliseconds: 0))
        try tx.rematerialise(collection)
    }
}
