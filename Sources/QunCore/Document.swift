/// An in-memory replica: every record's merged state plus the set of changes seen.
///
/// It is the executable specification of convergence. Property tests feed several documents
/// the same changes in different orders, with duplicates, and compare `export()`; the SQLite
/// store is checked against it.
public struct Document: Sendable {
    public struct RecordKey: Hashable, Sendable, Comparable {
        public var collection: String
        public var id: String

        public static func < (a: RecordKey, b: RecordKey) -> Bool {
            if a.collection != b.collection {
                return a.collection.utf8.lexicographicallyPrecedes(b.collection.utf8)
            }
            return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
    }

    public private(set) var records: [RecordKey: RecordState] = [:]
    public private(set) var seen: Set<ChangeID> = []
    /// Highest contiguous seq per replica, maintained as changes arrive in any order.
    public private(set) var vector = VersionVector()

    public init() {}

    /// Applies a change; returns false when it had been applied before.
    @discardableResult
    public mutating func apply(_ change: Change) -> Bool {
        guard seen.insert(change.id).inserted else { return false }
        let key = RecordKey(collection: change.collection, id: change.record)
        records[key, default: RecordState(collection: change.collection)].apply(change)
        var next = vector[change.id.replica] + 1
        while seen.contains(ChangeID(replica: change.id.replica, seq: next)) { next += 1 }
        vector[change.id.replica] = next - 1
        return true
    }

    public func record(_ collection: String, _ id: String) -> RecordState? {
        records[RecordKey(collection: collection, id: id)]
    }

    /// The canonical export: live records grouped by collection, sorted by id.
    public func export() -> JSON {
        var collections: [String: [(String, JSON)]] = [:]
        for (key, state) in records where !state.isDeleted {
            collections[key.collection, default: []].append((key.id, state.export(id: key.id)))
        }
        return Document.exportJSON(collections)
    }

    /// Shared by every exporter so that the document and the store print the same bytes.
    ///
    /// Collections whose name starts with `_` (the roster, commit signatures) are the team's
    /// bookkeeping, not records, and are left out.
    public static func exportJSON(_ collections: [String: [(String, JSON)]]) -> JSON {
        .object(collections.filter { !$0.key.hasPrefix("_") }.map { name, records in
            (name, .array(records.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)))
        })
    }
}
