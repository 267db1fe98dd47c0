import GRDB
import QunCore

/// A member found from what an operator typed.
struct ResolvedMember {
    var uid: String
    var deleted: Bool
}

/// Finds a member from a reference: the full id, a member number, a unique id prefix (at
/// least four hex characters), or an exact name. Anything matching more than one member is
/// an error that lists the candidates.
enum MemberResolution {
    static func resolve(_ reference: String, includeDeleted: Bool, db: Database) throws -> ResolvedMember {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.missingValue(field: "member") }
        let liveClause = includeDeleted ? "" : " AND deleted = 0"
        func found(_ rows: [Row]) throws -> ResolvedMember? {
            if rows.isEmpty { return nil }
            if rows.count > 1 {
                throw StoreError.ambiguous(collection: "member", reference: text, candidates: rows.map { row in
                    let uid: String = row["uid"]
                    let number: String? = row["number"]
                    return "\(uid.prefix(8)) \(row["name"] as String? ?? "")" + (number.map { " (\($0))" } ?? "")
                })
            }
            return ResolvedMember(uid: rows[0]["uid"], deleted: rows[0]["deleted"])
        }
        let columns = "uid, number, name, deleted"
        if RecordID.isValid(text.lowercased()),
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM member WHERE uid = ?", arguments: [text.lowercased()])) {
            return try check(hit, includeDeleted)
        }
        if let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM member WHERE number = ? COLLATE NOCASE\(liveClause)", arguments: [text])) {
            return hit
        }
        let lower = text.lowercased()
        if lower.count >= 4, lower.count < 32, lower.allSatisfy(\.isHexDigit) {
            let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM member WHERE uid >= ? AND uid < ?\(liveClause) LIMIT 6",
                                        arguments: [lower, lower + "g"])
            if let hit = try found(rows) { return hit }
        }
        if let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM member WHERE name = ?\(liveClause) LIMIT 6", arguments: [text])) {
            return hit
        }
        if !includeDeleted,
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM member WHERE (number = ? COLLATE NOCASE OR name = ? OR (uid >= ? AND uid < ?)) AND deleted = 1 LIMIT 6",
                                            arguments: [text, text, lower.count >= 4 ? lower : "~", lower + "g"])) {
            throw StoreError.deleted(collection: "member", id: hit.uid)
        }
        throw StoreError.notFound(collection: "member", reference: text)
    }

    private static func check(_ hit: ResolvedMember, _ includeDeleted: Bool) throws -> ResolvedMember {
        if hit.deleted && !includeDeleted { throw StoreError.deleted(collection: "member", id: hit.uid) }
        return hit
    }
}

extension WriteTransaction {
    func resolveMember(_ reference: String, includeDeleted: Bool = false) throws -> ResolvedMember {
        try MemberResolution.resolve(reference, includeDeleted: includeDeleted, db: db)
    }
}

extension Store {
    /// The member a reference names (id, id prefix, member number or exact name).
    public func member(_ reference: String, includeDeleted: Bool = false) throws -> Member {
        try database.read { db in
            let hit = try MemberResolution.resolve(reference, includeDeleted: includeDeleted, db: db)
            return MemberTable.member(from: try Row.fetchOne(db, sql: "SELECT \(MemberTable.selection) FROM member WHERE uid = ?", arguments: [hit.uid])!)
        }
    }
}
