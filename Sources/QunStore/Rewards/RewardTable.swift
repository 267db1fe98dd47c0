import GRDB
import QunCore

/// The materialised `reward` table: one row per reward record, rewritten from the merged
/// state whenever a batch touches the record. Who marked a gift sent is read from the
/// record's `sent` log when the row is read, not copied into the row.
enum RewardTable {
    static let selection = "record, uid, member, month, kind, gift, points, note, rank, score, sent, deleted"
    /// Newest month first; within a month the leaderboard's winners in their order, then the
    /// rewards added by hand.
    static let order = "month DESC, kind, rank IS NULL, rank, score DESC, uid"

    static func fetch(_ db: Database, _ condition: RecordCondition) throws -> [Reward] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(selection) FROM reward WHERE \(condition.sql) ORDER BY \(order)",
                                    arguments: condition.arguments)
        return try rows.map { row in
            let sentCount: Int64 = row[10]
            return Reward(id: row[1], member: row[2] ?? "", month: row[3] ?? "", origin: (row[4] as String?).flatMap(Reward.Origin.init),
                          gift: row[5] ?? "", points: (row[6] as Int64?).map(Int.init), note: row[7],
                          rank: (row[8] as Int64?).map(Int.init), score: row[9],
                          sent: sentCount > 0 ? try firstMark(db, record: row[0]) : nil, deleted: row[11])
        }
    }

    /// The first entry of a reward's `sent` log, in the order every laptop sees the log.
    private static func firstMark(_ db: Database, record: Int64) throws -> Reward.SentMark? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT t.hlc, r.id, t.element FROM set_tag t
            JOIN name f ON f.rowid = t.field
            JOIN replica r ON r.rowid = t.replica
            WHERE t.record = ? AND f.text = ? AND \(MergeRules.present(.logEntry, table: "t"))
            ORDER BY t.hlc, r.id, t.seq LIMIT 1
            """, arguments: [record, Reward.sentField]) else { return nil }
        return Reward.SentMark(at: try row.required(0, of: "set_tag"), replica: try row.required(1, of: "replica"), day: row[2])
    }
}

/// Keeps the `reward` table up to date (see `RewardTable`).
struct RewardMaterialiser: Materialiser {
    let statement: FastStatement

    init(_ db: Database) throws {
        statement = try FastStatement(db, sql: """
            INSERT OR REPLACE INTO reward(record, uid, member, month, kind, gift, points, note, rank, score, sent, deleted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        // A value of another type (from a newer peer, or a hand-made change) shows as absent.
        func text(_ field: Reward.Field) -> String? { snapshot.registers[field.rawValue]?.text }
        func int(_ field: Reward.Field) -> Value {
            if case .int(let number)? = snapshot.registers[field.rawValue] { return .int(number) }
            return .null
        }
        let score: Value
        switch snapshot.registers[Reward.Field.score.rawValue] {
        case .real(let number)?: score = .real(number)
        case .int(let number)?: score = .real(Double(number))
        default: score = .null
        }
        try statement.bind(1, record)
        try statement.bind(2, uid)
        try statement.bind(3, text: text(.member))
        try statement.bind(4, text: text(.month))
        try statement.bind(5, text: text(.kind))
        try statement.bind(6, text: text(.gift))
        try statement.bind(7, int(.points))
        try statement.bind(8, text: text(.note))
        try statement.bind(9, int(.rank))
        try statement.bind(10, score)
        try statement.bind(11, Int64(snapshot.logCounts[Reward.sentField] ?? 0))
        try statement.bind(12, snapshot.deleted)
        try statement.run(tx.db)
    }
}
