import GRDB
import QunCore

/// A kind of record the store keeps — members, tasks, events, message templates — described
/// once, so that finding one from what an operator typed, listing, deleting, restoring and
/// showing are written once for every kind.
///
/// The conforming type is the kind's item (`Member`, `TaskItem`, …): `store.remove(Event.self,
/// "周末读书会")` reads as what it does. A new kind is added by describing it (a conformance),
/// giving it a derived table (a migration) and a `Materialiser`, and listing it in
/// `RecordKinds.all`.
public protocol RecordKind: Sendable {
    /// What `records(_:_:)` accepts.
    associatedtype Filter: RecordFilter

    /// The collection its changes carry.
    static var collection: String { get }
    /// The noun in messages and commands: "task" as in "task 3f2a is ambiguous" and
    /// `qun task restore`.
    static var noun: String { get }
    /// How an operator's reference finds a record.
    static var reference: RecordReference { get }
    /// Where its records live in the store.
    static var storage: RecordStorage<Self> { get }

    var id: String { get }
    var deleted: Bool { get }
}

extension RecordKind {
    public static var noun: String { collection }

    public var shortID: String { String(id.prefix(8)) }

    /// The derived table (callable on `any RecordKind.Type`).
    static var table: String { storage.table }

    static func makeMaterialiser(_ db: Database) throws -> any Materialiser { try storage.materialiser(db) }

    /// The item of one record by its full id, deleted or not.
    static func fetch(_ db: Database, uid: String) throws -> Self {
        guard let item = try storage.fetch(db, RecordCondition(["uid = ?"], [uid])).first else {
            throw StoreError.notFound(collection: noun, reference: uid)
        }
        return item
    }
}

/// Where a kind's records live: the derived table with one row per record (`uid`, `deleted`
/// and the kind's columns), how its rows read as items, and what keeps it up to date.
public struct RecordStorage<Kind: RecordKind>: Sendable {
    let table: String
    /// Items of the rows matching a condition, in the kind's list order.
    let fetch: @Sendable (Database, RecordCondition) throws -> [Kind]
    /// Makes what rewrites rows from the merged state of the records a transaction touched.
    let materialiser: @Sendable (Database) throws -> any Materialiser

    init(table: String, fetch: @escaping @Sendable (Database, RecordCondition) throws -> [Kind],
         materialiser: @escaping @Sendable (Database) throws -> any Materialiser) {
        self.table = table
        self.fetch = fetch
        self.materialiser = materialiser
    }

    /// A kind whose items read straight from their rows: `selection` are the columns
    /// `item` reads, `order` the list order.
    init(table: String, selection: String, order: String, item: @escaping @Sendable (Row) -> Kind,
         materialiser: @escaping @Sendable (Database) throws -> any Materialiser) {
        self.init(table: table, fetch: { db, condition in
            try Row.fetchAll(db, sql: "SELECT \(selection) FROM \(table) WHERE \(condition.sql) ORDER BY \(order)",
                             arguments: condition.arguments).map(item)
        }, materialiser: materialiser)
    }
}

/// Which records a list shows: a condition over the kind's derived table.
public protocol RecordFilter: Sendable {
    var includeDeleted: Bool { get set }
    /// Fills in what the filter needs from the store, such as today's date.
    mutating func prepare(for store: Store)
    func whereClause() -> RecordCondition
}

extension RecordFilter {
    public mutating func prepare(for store: Store) {}
}

/// A `WHERE` clause and its arguments.
public struct RecordCondition: Sendable {
    let sql: String
    let arguments: StatementArguments

    /// Every one of `conditions` must hold; none means every row.
    init(_ conditions: [String], _ arguments: StatementArguments = []) {
        sql = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        self.arguments = arguments
    }
}

/// Every kind with a derived table.
enum RecordKinds {
    /// In the order their materialisers finish: tasks follow their events' starts, so events
    /// come before tasks.
    static let all: [any RecordKind.Type] = [Member.self, Event.self, TaskItem.self, MessageTemplate.self, Post.self, Reward.self]

    static func kind(of collection: String) -> (any RecordKind.Type)? {
        all.first { $0.collection == collection }
    }

    static func kind(named noun: String) -> (any RecordKind.Type)? {
        all.first { $0.noun == noun }
    }

    /// The derived tables, for work on every kind at once.
    static var tables: [String] { all.map { $0.table } }
}
