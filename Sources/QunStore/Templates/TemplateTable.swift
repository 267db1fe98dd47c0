import GRDB
import QunCore

/// The materialised `template` table: one row per template record, rewritten from the
/// merged state whenever a batch touches the record.
enum TemplateTable {
    static let selection = "uid, name, body, deleted"

    static func template(from row: Row) -> MessageTemplate {
        MessageTemplate(id: row[0], name: row[1] ?? "", body: row[2] ?? "", deleted: row[3])
    }
}

/// Keeps the `template` table up to date (see `TemplateTable`).
struct TemplateMaterialiser: Materialiser {
    let statement: FastStatement

    init(_ db: Database) throws {
        statement = try FastStatement(db, sql: "INSERT OR REPLACE INTO template(record, uid, name, body, deleted) VALUES (?, ?, ?, ?, ?)")
    }

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        // A value of another type (from a newer peer, or a hand-made change) shows as absent.
        func text(_ field: MessageTemplate.Field) -> String? { snapshot.registers[field.rawValue]?.text }
        try statement.bind(1, record)
        try statement.bind(2, uid)
        try statement.bind(3, text: text(.name))
        try statement.bind(4, text: text(.body))
        try statement.bind(5, snapshot.deleted)
        try statement.run(tx.db)
    }
}
