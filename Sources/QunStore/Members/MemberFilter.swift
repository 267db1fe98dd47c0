import Foundation
import GRDB
import QunCore

/// Which members `member list` shows. Every condition must hold.
public struct MemberFilter: RecordFilter, Equatable {
    public var role: Member.Role?
    public var status: Member.Status?
    public var gate: Member.Gate?
    public var city: String?
    /// Member id of a KOL: members looked after by them.
    public var kol: String?
    /// Member id of a referrer: members they invited.
    public var referrer: String?
    public var withTags: [String] = []
    public var withoutTags: [String] = []
    /// Words that must each appear in the name or the notes (case-insensitive for Latin).
    public var words: [String] = []
    public var includeDeleted = false

    public init() {}

    public func whereClause() -> RecordCondition {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if !includeDeleted { conditions.append("deleted = 0") }
        let equalities: [(String, String?)] = [
            ("role", role?.rawValue), ("status", status?.rawValue), ("gate", gate?.rawValue),
            ("city", city), ("kol", kol), ("referrer", referrer),
        ]
        for (column, value) in equalities {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        for tag in withTags {
            conditions.append("EXISTS (SELECT 1 FROM json_each(member.tags) WHERE value = ?)")
            arguments += [tag]
        }
        for tag in withoutTags {
            conditions.append("NOT EXISTS (SELECT 1 FROM json_each(member.tags) WHERE value = ?)")
            arguments += [tag]
        }
        for word in words {
            conditions.append("(instr(lower(name), lower(?)) > 0 OR instr(lower(coalesce(notes, '')), lower(?)) > 0)")
            arguments += [word, word]
        }
        return RecordCondition(conditions, arguments)
    }
}

extension Store {
    /// Members matching `filter`, ordered by name then id (the same order on every replica).
    public func members(_ filter: MemberFilter = MemberFilter()) throws -> [Member] {
        try records(Member.self, filter)
    }

    /// Names of members by id, for showing KOL and referrer columns.
    public func memberNames(_ ids: Set<String>) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var names: [String: String] = [:]
            for id in ids {
                if let name = try String.fetchOne(db, sql: "SELECT name FROM member WHERE uid = ?", arguments: [id]) {
                    names[id] = name
                }
            }
            return names
        }
    }

    /// A member's interaction log in time order.
    public func interactions(_ reference: String) throws -> [Interaction] {
        let target = try member(reference, includeDeleted: true)
        let operators = try operatorNames()
        return try logEntries(.memberCollection, target.id, field: Member.logField).map { entry in
            Interaction(at: entry.at, replica: entry.replica,
                        operatorName: operators[entry.replica] ?? String(entry.replica.hex.prefix(8)), text: entry.text)
        }
    }
}
