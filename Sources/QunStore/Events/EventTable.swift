import GRDB
import QunCore

extension String {
    /// Event plans (活动策划).
    public static let eventCollection = "event"
}

/// The materialised `event` table: one row per event record, rewritten from the merged
/// state whenever a batch (local or remote) touches the record.
enum EventTable {
    static let columns = """
        record, uid, title, kind, place, city, start_at, end_at, purpose, target, rules, rewards, budget, phase, \
        signups, attendance, achieved_count, missed_count, keep_count, deleted
        """

    static func writeStatement(_ db: Database) throws -> FastStatement {
        try FastStatement(db, sql: """
            INSERT OR REPLACE INTO event(\(columns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    static func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, with statement: FastStatement, db: Database) throws {
        func text(_ field: Event.Field) -> String? {
            switch snapshot.registers[field.rawValue] {
            case .text(let value)?: return value
            case .int(let value)?: return String(value)
            case .real(let value)?: return String(value)
            case .null?, nil: return nil
            }
        }
        func set(_ field: Event.PeopleSet) -> String {
            JSON.array((snapshot.sets[field.rawValue] ?? []).map { .string($0) }).compact
        }
        try statement.bind(1, record)
        try statement.bind(2, uid)
        let texts: [Event.Field] = [.title, .kind, .place, .city, .start, .end, .purpose]
        for (offset, field) in texts.enumerated() { try statement.bind(Int32(3 + offset), text: text(field)) }
        // A value of an unexpected type (from a newer peer, or a hand-made change) is kept
        // in the log but shows as absent rather than as a wrong number.
        switch snapshot.registers[Event.Field.target.rawValue] {
        case .int(let number)?: try statement.bind(10, number)
        default: try statement.bind(10, Value.null)
        }
        try statement.bind(11, text: text(.rules))
        try statement.bind(12, text: text(.rewards))
        switch snapshot.registers[Event.Field.budget.rawValue] {
        case .int(let number)?: try statement.bind(13, Value.real(Double(number)))
        case .real(let number)?: try statement.bind(13, Value.real(number))
        default: try statement.bind(13, Value.null)
        }
        try statement.bind(14, text: text(.phase))
        try statement.bind(15, set(.signups))
        try statement.bind(16, set(.attendance))
        try statement.bind(17, Int64(snapshot.logCounts[Event.Retro.achieved.rawValue] ?? 0))
        try statement.bind(18, Int64(snapshot.logCounts[Event.Retro.missed.rawValue] ?? 0))
        try statement.bind(19, Int64(snapshot.logCounts[Event.Retro.keep.rawValue] ?? 0))
        try statement.bind(20, snapshot.deleted)
        try statement.run(db)
    }

    /// The columns `event(from:livePeople:)` reads, by index.
    static let selection = """
        uid, title, kind, place, city, start_at, end_at, purpose, target, rules, rewards, budget, phase, \
        signups, attendance, achieved_count, missed_count, keep_count, deleted
        """

    /// An event from its row. `livePeople` are the ids among its sign-ups and attendance
    /// that name members who are not deleted.
    static func event(from row: Row, livePeople: Set<String>) -> Event {
        let signups = MemberTable.parseTags(row[13]).filter(livePeople.contains)
        let attendance = MemberTable.parseTags(row[14]).filter(livePeople.contains)
        return Event(
            id: row[0], title: row[1] ?? "",
            kind: (row[2] as String?).flatMap(Event.Kind.init(rawValue:)),
            place: row[3], city: row[4], start: row[5], end: row[6], purpose: row[7],
            target: row[8], rules: row[9], rewards: row[10], budget: row[11],
            phase: (row[12] as String?).flatMap(Event.Phase.init(rawValue:)) ?? .draft,
            signups: signups, attendance: attendance,
            achievedCount: row[15], missedCount: row[16], keepCount: row[17], deleted: row[18])
    }

    /// Reads events with a `WHERE` clause over the `event` table, in list order.
    static func fetch(_ db: Database, where clause: String, arguments: StatementArguments, order: String = "start_at IS NULL, start_at, title, uid") throws -> [Event] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(selection) FROM event WHERE \(clause) ORDER BY \(order)", arguments: arguments)
        guard !rows.isEmpty else { return [] }
        var referenced: Set<String> = []
        for row in rows {
            referenced.formUnion(MemberTable.parseTags(row[13]))
            referenced.formUnion(MemberTable.parseTags(row[14]))
        }
        var live: Set<String> = []
        if !referenced.isEmpty {
            let ids = JSON.array(referenced.sorted().map { .string($0) }).compact
            live = Set(try String.fetchAll(db, sql: """
                SELECT uid FROM member WHERE deleted = 0 AND uid IN (SELECT value FROM json_each(?))
                """, arguments: [ids]))
        }
        return rows.map { event(from: $0, livePeople: live) }
    }
}

/// Keeps the `event` table up to date (see `EventTable`), and tells the task table when an
/// event's start moved: run-sheet tasks without a due date of their own derive it from the
/// start, whichever laptop moved the event.
struct EventMaterialiser: Materialiser {
    let statement: FastStatement
    private var moved: Set<String> = []

    init(_ db: Database) throws { statement = try EventTable.writeStatement(db) }

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        let before = try String.fetchOne(tx.db, sql: "SELECT start_at FROM event WHERE record = ?", arguments: [record])
        if before != snapshot.registers[Event.Field.start.rawValue]?.text { moved.insert(uid) }
        try EventTable.write(snapshot, record: record, uid: uid, with: statement, db: tx.db)
    }

    mutating func finish(tx: WriteTransaction) throws {
        for uid in moved.sorted() { try tx.refreshTasks(ofEvent: uid) }
        moved.removeAll()
    }
}
