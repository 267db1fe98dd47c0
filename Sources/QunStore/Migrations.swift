import GRDB
import QunSchema

/// Applies the numbered scripts of `schema/migrations` that a database has not run yet,
/// each in its own transaction, recording progress in `PRAGMA user_version`.
///
/// Opening an up-to-date store costs one `user_version` read.
enum Migrations {
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
                try db.execute(sql: "PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
