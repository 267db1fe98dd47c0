import GRDB
import QunCore

/// A task found from what an operator typed.
struct ResolvedTask {
    var uid: String
    var deleted: Bool
}

/// Finds a task from a reference: the full id, a unique id prefix (at least four hex
/// characters) or an exact title. Not a list number: lists differ from laptop to laptop, so
/// "task 3" here would be another task there.
///
/// A routine's instances share their title; when a title matches several tasks and exactly
/// one of them is an instance on `today`, the title names that one — `qun task done 早安推送`
/// ticks off this morning's post.
enum TaskResolution {
    static func resolve(_ reference: String, includeDeleted: Bool, today: CalendarDay? = nil, db: Database) throws -> ResolvedTask {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.missingValue(field: "task") }
        let liveClause = includeDeleted ? "" : " AND deleted = 0"
        func found(_ rows: [Row]) throws -> ResolvedTask? {
            if rows.isEmpty { return nil }
            if rows.count > 1 {
                throw TaskError.ambiguous(reference: text, candidates: rows.map { row in
                    let uid: String = row["uid"]
                    let day: String? = row["due"]
                    return "\(uid.prefix(8)) \(row["title"] as String? ?? "")" + (day.map { " (\($0))" } ?? "")
                })
            }
            return ResolvedTask(uid: rows[0]["uid"], deleted: rows[0]["deleted"])
        }
        let columns = "uid, title, due, deleted"
        let lower = text.lowercased()
        if RecordID.isValid(lower),
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM task WHERE uid = ?", arguments: [lower])) {
            if hit.deleted && !includeDeleted { throw StoreError.deleted(collection: "task", id: hit.uid) }
            return hit
        }
        if lower.count >= 4, lower.count < 32, lower.allSatisfy(\.isHexDigit) {
            let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM task WHERE uid >= ? AND uid < ?\(liveClause) ORDER BY uid LIMIT 6",
                                        arguments: [lower, lower + "g"])
            if let hit = try found(rows) { return hit }
        }
        let titled = try Row.fetchAll(db, sql: "SELECT \(columns) FROM task WHERE title = ?\(liveClause) ORDER BY due, uid LIMIT 6", arguments: [text])
        if titled.count > 1, let today {
            let todays = try Row.fetchAll(db, sql: """
                SELECT \(columns) FROM task WHERE title = ? AND template IS NOT NULL AND date = ?\(liveClause) LIMIT 2
                """, arguments: [text, today.description])
            if todays.count == 1 { return ResolvedTask(uid: todays[0]["uid"], deleted: todays[0]["deleted"]) }
        }
        if let hit = try found(titled) { return hit }
        if !includeDeleted,
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM task WHERE (title = ? OR (uid >= ? AND uid < ?)) AND deleted = 1 LIMIT 6",
                                            arguments: [text, lower.count >= 4 ? lower : "~", lower + "g"])) {
            throw StoreError.deleted(collection: "task", id: hit.uid)
        }
        throw TaskError.notFound(reference: text)
    }
}

extension WriteTransaction {
    func resolveTask(_ reference: String, includeDeleted: Bool = false, today: CalendarDay? = nil) throws -> ResolvedTask {
        try TaskResolution.resolve(reference, includeDeleted: includeDeleted,
                                   today: today ?? CalendarDay.at(milliseconds: nowMilliseconds), db: db)
    }

    /// An event reference as given to `--event`: a full id or a unique prefix of at least
    /// four hex characters of an event this store has seen. Read from the record list rather
    /// than the event table, so a task may name an event whose fields have not arrived yet.
    func resolveEventID(_ reference: String) throws -> String {
        try TaskResolution.eventID(reference, db: db)
    }
}

extension TaskResolution {
    /// The event a task belongs to: whatever `qun event` accepts (id, prefix, exact title),
    /// or a full id this store has not seen yet — the event may arrive with the next sync,
    /// and the task must not wait for it.
    static func eventID(_ reference: String, db: Database) throws -> String {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try EventResolution.resolve(text, includeDeleted: true, db: db).uid
        } catch EventError.notFound {
            if RecordID.isValid(text.lowercased()) { return text.lowercased() }
            throw EventError.notFound(reference: text)
        }
    }
}

extension Store {
    /// The task a reference names (id, id prefix or exact title; a routine's title names
    /// today's instance).
    public func task(_ reference: String, includeDeleted: Bool = false, today: CalendarDay? = nil) throws -> TaskItem {
        let today = today ?? localToday()
        return try database.read { db in
            let hit = try TaskResolution.resolve(reference, includeDeleted: includeDeleted, today: today, db: db)
            return TaskTable.item(from: try Row.fetchOne(db, sql: "SELECT \(TaskTable.selection) FROM task WHERE uid = ?", arguments: [hit.uid])!)
        }
    }
}
