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
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        query.equal([
            ("role", role?.rawValue), ("status", status?.rawValue), ("gate", gate?.rawValue),
            ("city", city), ("kol", kol), ("referrer", referrer),
        ])
        query.tags(in: "member.tags", with: withTags, without: withoutTags)
        query.words(words, in: ["name", "notes"])
        return query.condition
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
        try logLines(Member.self, reference, field: Member.logField)
    }
}
