import GRDB
import QunCore

extension Store {
    /// The record of `kind` a reference names (see `RecordReference` for what a reference
    /// may be). `today` is for a kind whose names depend on the day (a routine's title names
    /// today's instance); it defaults to this laptop's day.
    public func record<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String, includeDeleted: Bool = false,
                                         today: CalendarDay? = nil) throws -> Kind {
        let today = today ?? localToday()
        return try database.read { db in
            let hit = try RecordResolution.resolve(kind, reference, includeDeleted: includeDeleted, today: today, db: db)
            return try Kind.fetch(db, uid: hit.uid)
        }
    }

    /// Records of `kind` matching `filter`, in the kind's list order (the same on every
    /// replica).
    public func records<Kind: RecordKind>(_ kind: Kind.Type, _ filter: Kind.Filter) throws -> [Kind] {
        var filter = filter
        filter.prepare(for: self)
        let condition = filter.whereClause()
        return try database.read { db in try Kind.storage.fetch(db, condition) }
    }

    /// Tombstones a record: its history stays readable, `restore` brings it back, and a
    /// delete wins over edits teammates make concurrently. A deleted record is not deleted
    /// again (that would be a change saying nothing).
    @discardableResult
    public func remove<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String) throws -> Kind {
        let id = try write { tx -> String in
            let target = try tx.resolve(kind, reference)
            if target.deleted { throw StoreError.deleted(collection: Kind.noun, id: target.uid) }
            try tx.delete(Kind.collection, target.uid)
            return target.uid
        }
        return try record(kind, id, includeDeleted: true)
    }

    /// Brings back a deleted record with everything it had.
    @discardableResult
    public func restore<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String) throws -> Kind {
        let id = try write { tx -> String in
            let target = try tx.resolve(kind, reference, includeDeleted: true)
            if !target.deleted { throw StoreError.notDeleted(collection: Kind.noun, id: target.uid) }
            try tx.restore(Kind.collection, target.uid)
            return target.uid
        }
        return try record(kind, id)
    }
}

extension WriteTransaction {
    /// The merged state of a record as this transaction began: derived tables are brought up
    /// to date at the end of every transaction, so they hold everything committed. Read it
    /// before writing changes to the record.
    func stored<Kind: RecordKind>(_ kind: Kind.Type, _ uid: String) throws -> Kind {
        try Kind.fetch(db, uid: uid)
    }
}
