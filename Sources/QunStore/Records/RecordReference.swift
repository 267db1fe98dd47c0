import GRDB
import QunCore

/// How an operator's text finds a record of a kind. Not a list number: lists differ from
/// laptop to laptop, so "task 3" here would be another task there.
///
/// The order of the look-ups is the same for every kind: the full id; then the kind's `keys`
/// (a member number, which may look like hex); then a unique id prefix of at least four hex
/// characters; then the kind's `names` (an exact name or title); and last, to say so, a
/// deleted record matching any of them. A reference matching several records is an error
/// that lists them, so a command never acts on a guess.
public struct RecordReference: Sendable {
    public struct Column: Sendable {
        public var name: String
        /// Matched without regard to Latin case (member numbers: `7qkm-12`).
        public var ignoresCase = false

        public init(_ name: String, ignoresCase: Bool = false) {
            self.name = name
            self.ignoresCase = ignoresCase
        }

        var condition: String { "\(name) = ?" + (ignoresCase ? " COLLATE NOCASE" : "") }
    }

    /// Exact matches tried before an id prefix.
    public var keys: [Column] = []
    /// Exact matches tried after an id prefix.
    public var names: [Column]
    /// The order among several records of one name, so the candidates list reads the same on
    /// every laptop.
    public var nameOrder = "uid"
    /// The candidates of an ambiguous reference read `shortid label (detail)`.
    public var label: String
    public var detail: String?
    /// What a reference may be, for the not-found message: "an id prefix (4+ characters) or
    /// the exact title".
    public var hint: String
    /// What to add to "give more characters of the id" when a reference is ambiguous.
    public var narrower: String?
    /// When several records share a name, a kind may know which one is meant (a routine's
    /// title names today's instance). Gets the name, today, whether deleted records count and
    /// the database; nil when it does not know.
    var tieBreak: (@Sendable (String, CalendarDay?, Bool, Database) throws -> ResolvedRecord?)?

    init(keys: [Column] = [], names: [Column], nameOrder: String = "uid", label: String, detail: String? = nil,
                hint: String, narrower: String? = nil,
                tieBreak: (@Sendable (String, CalendarDay?, Bool, Database) throws -> ResolvedRecord?)? = nil) {
        self.keys = keys
        self.names = names
        self.nameOrder = nameOrder
        self.label = label
        self.detail = detail
        self.hint = hint
        self.narrower = narrower
        self.tieBreak = tieBreak
    }
}

extension RecordReference {
    /// The tie-break of a kind with routines (tasks, posts): when a name matches several
    /// records and exactly one is a routine's instance on today, the name means that one.
    static func todaysInstance(in table: String) -> @Sendable (String, CalendarDay?, Bool, Database) throws -> ResolvedRecord? {
        { name, today, includeDeleted, db in
            guard let today else { return nil }
            let todays = try Row.fetchAll(db, sql: """
                SELECT uid, deleted FROM \(table) WHERE title = ? AND template IS NOT NULL AND date = ?\(includeDeleted ? "" : " AND deleted = 0") LIMIT 2
                """, arguments: [name, today.description])
            guard todays.count == 1 else { return nil }
            return ResolvedRecord(uid: try todays[0].required("uid", of: table), deleted: try todays[0].required("deleted", of: table))
        }
    }
}

/// A record found from what an operator typed.
public struct ResolvedRecord: Sendable, Equatable {
    public var uid: String
    public var deleted: Bool

    public init(uid: String, deleted: Bool) {
        self.uid = uid
        self.deleted = deleted
    }
}

/// The look-ups of `RecordReference`, over a kind's derived table.
enum RecordResolution {
    static func resolve<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String, includeDeleted: Bool,
                                          today: CalendarDay? = nil, db: Database) throws -> ResolvedRecord {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.missingValue(field: Kind.noun) }
        let spec = Kind.reference
        let table = Kind.storage.table
        let live = includeDeleted ? "" : " AND deleted = 0"
        let columns = (["uid", "deleted", spec.label] + (spec.detail.map { [$0] } ?? [])).joined(separator: ", ")
        func found(_ rows: [Row]) throws -> ResolvedRecord? {
            if rows.isEmpty { return nil }
            if rows.count > 1 {
                throw StoreError.ambiguous(collection: Kind.noun, reference: text, candidates: try rows.map { row in
                    let uid: String = try row.required("uid", of: table)
                    // Shown, not trusted: a value of another type reads as absent.
                    let label = String.fromDatabaseValue(row[spec.label] as DatabaseValue) ?? ""
                    let detail = spec.detail.flatMap { String.fromDatabaseValue(row[$0] as DatabaseValue) }
                    return "\(uid.prefix(8)) \(label)" + (detail.map { " (\($0))" } ?? "")
                })
            }
            return ResolvedRecord(uid: try rows[0].required("uid", of: table), deleted: try rows[0].required("deleted", of: table))
        }
        func matching(_ condition: String, _ arguments: StatementArguments, order: String = "uid") throws -> [Row] {
            try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) WHERE \(condition)\(live) ORDER BY \(order) LIMIT 6",
                             arguments: arguments)
        }

        let lower = text.lowercased()
        if RecordID.isValid(lower),
           let hit = try found(Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) WHERE uid = ?", arguments: [lower])) {
            if hit.deleted && !includeDeleted { throw StoreError.deleted(collection: Kind.noun, id: hit.uid) }
            return hit
        }
        for key in spec.keys {
            if let hit = try found(matching(key.condition, [text])) { return hit }
        }
        let isPrefix = lower.count >= 4 && lower.count < 32 && lower.allSatisfy(\.isHexDigit)
        if isPrefix, let hit = try found(matching("uid >= ? AND uid < ?", [lower, lower + "g"])) {
            return hit
        }
        for name in spec.names {
            let rows = try matching(name.condition, [text], order: spec.nameOrder)
            if rows.count > 1, let tieBreak = spec.tieBreak, let hit = try tieBreak(text, today, includeDeleted, db) { return hit }
            if let hit = try found(rows) { return hit }
        }
        if !includeDeleted {
            let any = (spec.keys + spec.names).map(\.condition) + ["(uid >= ? AND uid < ?)"]
            var arguments = StatementArguments((spec.keys + spec.names).map { _ in text })
            arguments += [isPrefix ? lower : "~", lower + "g"]
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(columns) FROM \(table) WHERE (\(any.joined(separator: " OR "))) AND deleted = 1 ORDER BY uid LIMIT 6
                """, arguments: arguments)
            if let hit = try found(rows) { throw StoreError.deleted(collection: Kind.noun, id: hit.uid) }
        }
        throw StoreError.notFound(collection: Kind.noun, reference: text)
    }
}

extension WriteTransaction {
    /// The record of `kind` a reference names, as this transaction sees it. `today` is for a
    /// kind whose names depend on the day; it defaults to this transaction's day.
    func resolve<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String, includeDeleted: Bool = false,
                                   today: CalendarDay? = nil) throws -> ResolvedRecord {
        try RecordResolution.resolve(kind, reference, includeDeleted: includeDeleted,
                                     today: today ?? CalendarDay.at(milliseconds: nowMilliseconds), db: db)
    }
}
