import GRDB
import QunCore

/// An event found from what an operator typed.
struct ResolvedEvent {
    var uid: String
    var deleted: Bool
}

/// Finds an event from a reference: the full id, a unique id prefix (at least four hex
/// characters) or an exact title. Anything matching more than one event is an error that
/// lists the candidates, so a command never acts on a guess.
enum EventResolution {
    static func resolve(_ reference: String, includeDeleted: Bool, db: Database) throws -> ResolvedEvent {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.missingValue(field: "event") }
        let liveClause = includeDeleted ? "" : " AND deleted = 0"
        let columns = "uid, title, start_at, deleted"
        func found(_ rows: [Row]) throws -> ResolvedEvent? {
            if rows.isEmpty { return nil }
            if rows.count > 1 {
                throw EventError.ambiguous(reference: text, candidates: rows.map { row in
                    let uid: String = row["uid"]
                    let start: String? = row["start_at"]
                    return "\(uid.prefix(8)) \(row["title"] as String? ?? "")" + (start.map { " (\($0))" } ?? "")
                })
            }
            return ResolvedEvent(uid: rows[0]["uid"], deleted: rows[0]["deleted"])
        }
        let lower = text.lowercased()
        if RecordID.isValid(lower),
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM event WHERE uid = ?", arguments: [lower])) {
            if hit.deleted && !includeDeleted { throw StoreError.deleted(collection: "event", id: hit.uid) }
            return hit
        }
        if lower.count >= 4, lower.count < 32, lower.allSatisfy(\.isHexDigit),
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM event WHERE uid >= ? AND uid < ?\(liveClause) LIMIT 6",
                                            arguments: [lower, lower + "g"])) {
            return hit
        }
        if let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM event WHERE title = ?\(liveClause) ORDER BY uid LIMIT 6", arguments: [text])) {
            return hit
        }
        if !includeDeleted,
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM event WHERE (title = ? OR (uid >= ? AND uid < ?)) AND deleted = 1 LIMIT 6",
                                            arguments: [text, lower.count >= 4 ? lower : "~", lower + "g"])) {
            throw StoreError.deleted(collection: "event", id: hit.uid)
        }
        throw EventError.notFound(reference: text)
    }
}

extension WriteTransaction {
    func resolveEvent(_ reference: String, includeDeleted: Bool = false) throws -> ResolvedEvent {
        try EventResolution.resolve(reference, includeDeleted: includeDeleted, db: db)
    }

    /// The merged state of an event as this transaction began: the `event` table is
    /// brought up to date at the end of every transaction, so it holds everything committed.
    /// Read it before writing changes to the event.
    func storedEvent(_ uid: String) throws -> Event {
        guard let event = try EventTable.fetch(db, where: "uid = ?", arguments: [uid]).first else {
            throw EventError.notFound(reference: uid)
        }
        return event
    }
}

extension Store {
    /// The event a reference names (id, id prefix or exact title).
    public func event(_ reference: String, includeDeleted: Bool = false) throws -> Event {
        try database.read { db in
            let hit = try EventResolution.resolve(reference, includeDeleted: includeDeleted, db: db)
            return try EventTable.fetch(db, where: "uid = ?", arguments: [hit.uid])[0]
        }
    }
}
