import Foundation
import GRDB
import QunCore

/// The materialised `member` table: one row per member record, rewritten from the merged
/// state whenever a batch touches the record.
enum MemberTable {
    static let columns = "record, uid, number, name, role, kol, referrer, gate, gate_note, city, joined, status, wechat, phone, email, notes, tags, log_count, deleted, qq"

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
        try statement.bind(1, record)
        try statement.bind(2, uid)
        let fields: [Member.Field] = [
            .number, .name, .role, .kol, .referrer, .gate, .gateNote, .city, .joined, .status,
            .wechat, .phone, .email, .notes,
        ]
        for (offset, field) in fields.enumerated() {
            try statement.bind(Int32(3 + offset), text: text(field))
        }
        try statement.bind(17, tags)
        try statement.bind(18, Int64(snapshot.logCounts[Member.logField] ?? 0))
        try statement.bind(19, snapshot.deleted)
        try statement.bind(20, text: text(.qq))
        try statement.run(db)
    }

    static func writeStatement(_ db: Database) throws -> FastStatement {
        try FastStatement(db, sql: """
            INSERT OR REPLACE INTO member(\(columns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// The columns `member(from:)` reads, in the order it reads them by index (named
    /// look-ups cost more than the query on a 10k-member list).
    static let selection = "uid, number, name, role, kol, referrer, gate, gate_note, city, joined, status, wechat, phone, email, notes, tags, log_count, deleted, qq"

    static func member(from row: Row) -> Member {
        Member(
            id: row[0], number: row[1], name: row[2] ?? "",
            role: (row[3] as String?).flatMap(Member.Role.init(rawValue:)),
            kol: row[4], referrer: row[5],
            gate: (row[6] as String?).flatMap(Member.Gate.init(rawValue:)),
            gateNote: row[7], city: row[8], joined: row[9],
            status: (row[10] as String?).flatMap(Member.Status.init(rawValue:)),
            wechat: row[11], qq: row[18], phone: row[12], email: row[13], notes: row[14],
            tags: parseTags(row[15]), logCount: row[16], deleted: row[17])
    }

    /// Tags are stored as a canonical JSON array of strings (written by `JSON.compact`).
    static func parseTags(_ json: String) -> [String] {
        if json == "[]" { return [] }
        // Tags without quotes or backslashes (nearly all) are split directly; anything
        // else goes through the full JSON parser.
        let bytes = Array(json.utf8)
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), !bytes.contains(UInt8(ascii: "\\")) {
            let inner = bytes.dropFirst().dropLast()
            let parts = inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            if parts.allSatisfy({ $0.count >= 2 && $0.first == UInt8(ascii: "\"") && $0.last == UInt8(ascii: "\"") && !$0.dropFirst().dropLast().contains(UInt8(ascii: "\"")) }) {
                return parts.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) }
            }
        }
        guard let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return array
    }
}
