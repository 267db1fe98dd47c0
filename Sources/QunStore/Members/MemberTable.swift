import Foundation
import GRDB
import QunCore

/// The materialised `member` table: one row per member record, rewritten from the merged
/// state whenever a batch touches the record.
enum MemberTable {
    static let columns = "record, uid, number, name, role, kol, referrer, gate, gate_note, city, joined, status, wechat, phone, email, notes, tags, log_count, deleted"

    static func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, with statement: FastStatement, db: Database) throws {
        func text(_ field: Member.Field) -> String? {
            switch snapshot.registers[field.rawValue] {
            case .text(let value)?: return value
            case .int(let value)?: return String(value)
            case .real(let value)?: return String(value)
            case .null?, nil: return nil
            }
        }
        let tags = JSON.array((snapshot.sets[Member.tagsField] ?? []).map { .string($0) }).compact
        statement.bind(1, record)
        statement.bind(2, uid)
        let fields: [Member.Field] = [
            .number, .name, .role, .kol, .referrer, .gate, .gateNote, .city, .joined, .status,
            .wechat, .phone, .email, .notes,
        ]
        for (offset, field) in fields.enumerated() {
            statement.bind(Int32(3 + offset), text: text(field))
        }
        statement.bind(17, tags)
        statement.bind(18, Int64(snapshot.logCounts[Member.logField] ?? 0))
        statement.bind(19, snapshot.deleted)
        try statement.run(db)
    }

    static func writeStatement(_ db: Database) throws -> FastStatement {
        try FastStatement(db, sql: """
            INSERT OR REPLACE INTO member(\(columns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    static func member(from row: Row) -> Member {
        let tagsJSON: String = row["tags"]
        return Member(
            id: row["uid"], number: row["number"], name: row["name"] ?? "",
            role: (row["role"] as String?).flatMap(Member.Role.init(rawValue:)),
            kol: row["kol"], referrer: row["referrer"],
            gate: (row["gate"] as String?).flatMap(Member.Gate.init(rawValue:)),
            gateNote: row["gate_note"], city: row["city"], joined: row["joined"],
            status: (row["status"] as String?).flatMap(Member.Status.init(rawValue:)),
            wechat: row["wechat"], phone: row["phone"], email: row["email"], notes: row["notes"],
            tags: parseTags(tagsJSON), logCount: row["log_count"], deleted: row["deleted"])
    }

    /// Tags are stored as a canonical JSON array of strings.
    static func parseTags(_ json: String) -> [String] {
        guard let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return array
    }
}
