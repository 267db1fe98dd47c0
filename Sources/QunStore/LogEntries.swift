import Foundation
import GRDB
import QunCore

/// One live entry of an append-only log field (an interaction, a task note, a check-in, a
/// retrospective line).
struct LogEntry {
    var field: String
    var at: HLC
    var replica: ReplicaID
    var text: String
}

extension Store {
    /// The live entries of a record's log fields — of `field`, or of every field when nil —
    /// in the order every replica shows them: by HLC, then replica id, then seq.
    func logEntries(_ collection: String, _ uid: String, field: String? = nil) throws -> [LogEntry] {
        try database.read { db in
            var sql = """
                SELECT f.text, t.hlc, r.id, t.element FROM set_tag t
                JOIN record rec ON rec.rowid = t.record
                JOIN name c ON c.rowid = rec.collection
                JOIN name f ON f.rowid = t.field
                JOIN replica r ON r.rowid = t.replica
                WHERE c.text = ? AND rec.uid = ? AND \(MergeRules.present(.logEntry, table: "t"))
                """
            var arguments: StatementArguments = [collection, uid]
            if let field {
                sql += " AND f.text = ?"
                arguments += [field]
            }
            sql += " ORDER BY t.hlc, r.id, t.seq"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                LogEntry(field: row[0], at: try row.required(1, of: "set_tag"), replica: try row.required(2, of: "replica"), text: row[3])
            }
        }
    }
}
