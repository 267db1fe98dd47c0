import Foundation
import GRDB
import QunCore

/// Writes changes into the log and the derived tables, following the merge rules of
/// `QunCore.RecordState`.
///
/// Records first seen in this transaction are folded in memory (a `RecordState` each) and
/// written once; existing records get their register writes folded per `(record, field)`.
/// The version vector, deleted flags and materialised rows are brought up to date once, at
/// the end of the transaction.
struct Applier {
    private struct RegisterKey: Hashable {
        var record: Int64
        var field: Int64
    }

    private struct Touched {
        var collection: String
        var uid: String
    }

    /// The statements of the hot path, prepared once per transaction.
    private final class Statements {
        let insertChange: FastStatement
        let findChange: FastStatement
        let upsertMadeTag: FastStatement
        let upsertObservedTag: FastStatement
        let upsertRegister: FastStatement

        init(_ db: Database) throws {
            insertChange = try FastStatement(db, sql: """
                INSERT OR IGNORE INTO change(replica, seq, hlc, record, field, op, payload) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            // Every column: a change held under the same (replica, seq) with other content is
            // not a duplicate, whatever its time.
            findChange = try FastStatement(db, sql: """
                SELECT count(*) FROM change
                WHERE replica = ? AND seq = ? AND hlc = ? AND record = ? AND field = ? AND op = ? AND payload = ?
                """)
            upsertMadeTag = try FastStatement(db, sql: MergeRules.upsertMadeTag)
            upsertObservedTag = try FastStatement(db, sql: MergeRules.upsertObservedTag)
            upsertRegister = try FastStatement(db, sql: MergeRules.upsertRegister)
        }
    }

    private var prepared: Statements?
    private mutating func statements(_ db: Database) throws -> Statements {
        if let prepared { return prepared }
        let made = try Statements(db)
        prepared = made
        return made
    }

    private var newStates: [Int64: RecordState] = [:]
    private var dirtyNew: Set<Int64> = []
    private var registers: [RegisterKey: (value: Value, stamp: Stamp)] = [:]
    private var touched: [Int64: Touched] = [:]
    private var touchedReplicas: Set<Int64> = []
    /// Per replica row touched: its history digest, extended while its changes come in order
    /// (`HistoryDigest`); past the first one out of order, the rest is read back at the end.
    private var chains: [Int64: HistoryDigest.Chain] = [:]
    private var outOfOrder: Set<Int64> = []
    private var scratch = ByteWriter(capacity: 256)
    private(set) var applied = 0
    private(set) var duplicates = 0

    /// - Parameter voids: changes the roster says do not count: logged and forwarded, kept out
    ///   of the records (see `Roster.void`).
    mutating func apply(_ changes: [Change], local: Bool, voids: [ChangeID: Roster.Void] = [:], in tx: WriteTransaction) throws {
        let db = tx.db
        let statements = try statements(db)
        let insertChange = statements.insertChange
        let emptyField = try tx.interner.nameRow("")
        for change in changes {
            try Applier.check(change)
            let replicaRow = try tx.interner.replicaRow(change.id.replica)
            let collectionRow = try tx.interner.nameRow(change.collection)
            let recordRow = try tx.interner.recordRow(collectionRow, change.record)
            let fieldRow = try tx.interner.nameRow(change.field)
            if !local && change.id.replica == tx.replica {
                // Only this store writes under its own id: a "new" change with it means a
                // second store shares the id.
                try checkDuplicate(change, replicaRow: replicaRow, recordRow: recordRow, fieldRow: fieldRow, db: db)
                duplicates += 1
                continue
            }
            try insertChange.bind(1, replicaRow)
            try insertChange.bind(2, change.id.seq)
            try insertChange.bind(3, change.hlc.rawValue)
            try insertChange.bind(4, recordRow)
            try insertChange.bind(5, fieldRow)
            try insertChange.bind(6, Int64(change.operation.code))
            let payload = change.operation.payload
            try insertChange.bind(7, blob: payload)
            if try insertChange.run(db) == 0 {
                try checkDuplicate(change, replicaRow: replicaRow, recordRow: recordRow, fieldRow: fieldRow, db: db)
                duplicates += 1
                continue
            }
            applied += 1
            tx.observe(change.hlc)
            touchedReplicas.insert(replicaRow)
            if !outOfOrder.contains(replicaRow) {
                // Taken out of the dictionary while it is extended, so that its digest is not
                // copied on write.
                var chain = try chains.removeValue(forKey: replicaRow) ?? HistoryDigest.head(db, replicaRow: replicaRow)
                if change.id.seq == chain.seq + 1 {
                    HistoryDigest.extend(&chain, with: change, payload: payload, scratch: &scratch)
                    chains[replicaRow] = chain
                } else {
                    chains[replicaRow] = chain
                    outOfOrder.insert(replicaRow)
                }
            }
            if !voids.isEmpty, let reason = voids[change.id] {
                try db.execute(sql: "INSERT OR REPLACE INTO void_change(replica, seq, reason) VALUES (?, ?, ?)",
                               arguments: [replicaRow, change.id.seq, reason.rawValue])
                continue
            }
            if touched[recordRow] == nil {
                touched[recordRow] = Touched(collection: change.collection, uid: change.record)
            }

            if tx.interner.newRecords.contains(recordRow) {
                newStates[recordRow, default: RecordState(collection: change.collection)].apply(change)
                dirtyNew.insert(recordRow)
                continue
            }
            switch change.operation {
            case .set(let value):
                let key = RegisterKey(record: recordRow, field: fieldRow)
                if let current = registers[key], current.stamp >= change.stamp { break }
                registers[key] = (value, change.stamp)
            case .add(let element):
                try upsertMadeTag(db, recordRow, fieldRow, replicaRow, change.id.seq, element, change.hlc, .setElement, removed: false)
            case .append(let text):
                try upsertMadeTag(db, recordRow, fieldRow, replicaRow, change.id.seq, text, change.hlc, .logEntry, removed: false)
            case .delete:
                try upsertMadeTag(db, recordRow, emptyField, replicaRow, change.id.seq, "", change.hlc, .deleteToken, removed: false)
            case .remove(let element, let observed):
                for tag in observed {
                    try upsertObservedTag(db, recordRow, fieldRow, try tx.interner.replicaRow(tag.replica), tag.seq, element, .unseen)
                }
            case .restore(let observed):
                for token in observed {
                    try upsertObservedTag(db, recordRow, emptyField, try tx.interner.replicaRow(token.replica), token.seq, "", .deleteToken)
                }
            case .signature, .roster, .unknown:
                break
            }
        }
    }

    /// Refuses what SQLite cannot keep as given, rather than store something else: text with
    /// a NUL character (SQLite keeps it, but text is read back only up to the NUL, so the store
    /// would show and forward a different record id, name or value) and NaN (stored as NULL).
    static func check(_ change: Change) throws {
        func hasNul(_ text: String) -> Bool { text.utf8.contains(0) }
        var problem: String?
        if hasNul(change.collection) || hasNul(change.record) || hasNul(change.field) {
            problem = "its collection, record id or field name contains a NUL character (U+0000)"
        }
        switch change.operation {
        case .set(.text(let text)), .add(let text), .remove(let text, _), .append(let text):
            if hasNul(text) { problem = "its text contains a NUL character (U+0000)" }
        case .set(.real(let number)) where number.isNaN:
            problem = "its value is NaN"
        default:
            break
        }
        if let problem { throw StoreError.invalidChange("change \(change.id): \(problem)") }
    }

    /// A change whose (replica, seq) is already in the log must be that very change; anything
    /// else is two stores writing under one id, or a forgery under a teammate's id, and must
    /// stop the apply loudly rather than be skipped as a duplicate.
    private mutating func checkDuplicate(
        _ change: Change, replicaRow: Int64, recordRow: Int64, fieldRow: Int64, db: Database
    ) throws {
        let find = try statements(db).findChange
        try find.bind(1, replicaRow)
        try find.bind(2, change.id.seq)
        try find.bind(3, change.hlc.rawValue)
        try find.bind(4, recordRow)
        try find.bind(5, fieldRow)
        try find.bind(6, Int64(change.operation.code))
        try find.bind(7, blob: change.operation.payload)
        guard try find.int64(db) == 1 else {
            throw StoreError.replicaClash(replica: change.id.replica.hex, seq: change.id.seq)
        }
    }

    /// A tag made by its change, or as a record folded in memory has it (`MergeRules.upsertMadeTag`).
    private mutating func upsertMadeTag(_ db: Database, _ record: Int64, _ field: Int64, _ replica: Int64, _ seq: Int64,
                                        _ element: String, _ hlc: HLC, _ kind: TagKind, removed: Bool) throws {
        let upsert = try statements(db).upsertMadeTag
        try upsert.bind(1, record)
        try upsert.bind(2, field)
        try upsert.bind(3, replica)
        try upsert.bind(4, seq)
        try upsert.bind(5, element)
        try upsert.bind(6, hlc.rawValue)
        try upsert.bind(7, kind.rawValue)
        try upsert.bind(8, removed)
        try upsert.run(db)
    }

    /// A tag a remove or restore observed (`MergeRules.upsertObservedTag`).
    private mutating func upsertObservedTag(_ db: Database, _ record: Int64, _ field: Int64, _ replica: Int64, _ seq: Int64,
                                            _ element: String, _ kind: TagKind) throws {
        let upsert = try statements(db).upsertObservedTag
        try upsert.bind(1, record)
        try upsert.bind(2, field)
        try upsert.bind(3, replica)
        try upsert.bind(4, seq)
        try upsert.bind(5, element)
        try upsert.bind(6, kind.rawValue)
        try upsert.run(db)
    }

    /// Writes a tag of a record folded in memory: one only an observer named (time zero)
    /// through the observer's statement, so that it never overwrites a made tag's content.
    private mutating func writeFolded(_ db: Database, _ record: Int64, _ field: Int64, _ replica: Int64, _ seq: Int64,
                                      _ tag: RecordState.Tag) throws {
        if tag.hlc == .zero && tag.removed {
            try upsertObservedTag(db, record, field, replica, seq, tag.element, tag.kind)
        } else {
            try upsertMadeTag(db, record, field, replica, seq, tag.element, tag.hlc, tag.kind, removed: tag.removed)
        }
    }

    private mutating func upsertRegister(_ db: Database, _ record: Int64, _ field: Int64, _ value: Value, _ stamp: Stamp) throws {
        let upsert = try statements(db).upsertRegister
        try upsert.bind(1, record)
        try upsert.bind(2, field)
        try upsert.bind(3, value)
        try upsert.bind(4, stamp.hlc.rawValue)
        try upsert.bind(5, blob: stamp.replica.bytes)
        try upsert.run(db)
    }

    /// Writes folded registers and the in-memory state of new records.
    mutating func flush(in tx: WriteTransaction) throws {
        let db = tx.db
        for (key, register) in registers {
            try upsertRegister(db, key.record, key.field, register.value, register.stamp)
        }
        registers.removeAll(keepingCapacity: true)
        let emptyField = try tx.interner.nameRow("")
        for record in dirtyNew {
            guard let state = newStates[record] else { continue }
            for (field, register) in state.registers {
                try upsertRegister(db, record, try tx.interner.nameRow(field), register.value, register.stamp)
            }
            for (field, tags) in state.tags {
                let fieldRow = try tx.interner.nameRow(field)
                for (id, tag) in tags {
                    try writeFolded(db, record, fieldRow, try tx.interner.replicaRow(id.replica), id.seq, tag)
                }
            }
            for (token, tag) in state.deleteTokens {
                try writeFolded(db, record, emptyField, try tx.interner.replicaRow(token.replica), token.seq, tag)
            }
        }
        dirtyNew.removeAll(keepingCapacity: true)
    }

    /// Rebuilds records from their changes in the log, leaving out the void ones: after the
    /// roster changed which changes count. Their state is written by `flush` and `finish`.
    mutating func rebuild(_ records: Set<Int64>, in tx: WriteTransaction) throws {
        let db = tx.db
        for record in records {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT n.text, r.uid FROM record r JOIN name n ON n.rowid = r.collection WHERE r.rowid = ?
                """, arguments: [record]) else { continue }
            let collection: String = row[0]
            var state = RecordState(collection: collection)
            let changes = try Row.fetchAll(db, sql: """
                SELECT p.id AS replica_id, c.seq, c.hlc, ? AS collection, ? AS record, f.text AS field, c.op, c.payload
                FROM change c JOIN replica p ON p.rowid = c.replica JOIN name f ON f.rowid = c.field
                LEFT JOIN void_change v ON v.replica = c.replica AND v.seq = c.seq
                WHERE c.record = ? AND v.seq IS NULL
                """, arguments: [collection, row[1] as String, record])
            for change in changes {
                state.apply(try Change(row: change, table: "change"))
            }
            try db.execute(sql: "DELETE FROM field_value WHERE record = ?", arguments: [record])
            try db.execute(sql: "DELETE FROM set_tag WHERE record = ?", arguments: [record])
            try db.execute(sql: "UPDATE record SET deleted = 0 WHERE rowid = ?", arguments: [record])
            if state.registers.isEmpty && state.tags.isEmpty && state.deleteTokens.isEmpty {
                // Nothing of it counts any more (all its changes are void): not a record.
                for table in RecordKinds.tables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE record = ?", arguments: [record])
                }
                touched[record] = nil
                newStates[record] = nil
                continue
            }
            registers = registers.filter { $0.key.record != record }
            newStates[record] = state
            dirtyNew.insert(record)
            touched[record] = Touched(collection: collection, uid: row[1])
        }
    }

    /// Advances the version vector and each replica's history digest, and refreshes deleted
    /// flags and materialised rows of the records this transaction touched.
    mutating func finish(in tx: WriteTransaction) throws {
        let db = tx.db
        for replicaRow in touchedReplicas {
            try HistoryDigest.advance(db, replicaRow: replicaRow, from: try chains[replicaRow] ?? HistoryDigest.head(db, replicaRow: replicaRow))
        }
        touchedReplicas.removeAll()
        chains.removeAll()
        outOfOrder.removeAll()

        let emptyField = try tx.interner.nameRow("")
        let setDeleted = try db.cachedStatement(sql: "UPDATE record SET deleted = ? WHERE rowid = ? AND deleted != ?")
        let isDeleted = try db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM set_tag WHERE record = ? AND field = ? AND \(MergeRules.present(.deleteToken)))
            """)
        var materialisers: [String: any Materialiser] = [:]
        for (record, info) in touched {
            let snapshot: RecordSnapshot
            if let state = newStates[record] {
                snapshot = RecordSnapshot(state)
            } else {
                let deleted = try Bool.fetchOne(isDeleted, arguments: [record, emptyField]) ?? false
                snapshot = try RecordSnapshot.load(record: record, deleted: deleted, db: db, interner: tx.interner)
            }
            // A record created in this transaction starts not deleted.
            if snapshot.deleted || newStates[record] == nil {
                try setDeleted.execute(arguments: [snapshot.deleted, record, snapshot.deleted])
            }
            if materialisers[info.collection] == nil {
                guard let made = try Materialisers.make(info.collection, db) else { continue }
                materialisers[info.collection] = made
            }
            try materialisers[info.collection]!.write(snapshot, record: record, uid: info.uid, tx: tx)
        }
        for collection in Materialisers.collections {
            try materialisers[collection]?.finish(tx: tx)
        }
        touched.removeAll()
        newStates.removeAll()
    }
}

/// The merged state of one record, as the materialised tables need it.
struct RecordSnapshot {
    var registers: [String: Value] = [:]
    var sets: [String: [String]] = [:]
    var logCounts: [String: Int] = [:]
    var deleted: Bool

    init(_ state: RecordState) {
        deleted = state.isDeleted
        for (field, register) in state.registers { registers[field] = register.value }
        for field in state.tags.keys {
            let elements = state.elements(field)
            if !elements.isEmpty { sets[field] = elements }
            let count = state.logEntries(field).count
            if count > 0 { logCounts[field] = count }
        }
    }

    init(deleted: Bool) { self.deleted = deleted }

    static func load(record: Int64, deleted: Bool, db: Database, interner: Interner) throws -> RecordSnapshot {
        var snapshot = RecordSnapshot(deleted: deleted)
        let values = try Row.fetchCursor(db.cachedStatement(sql: "SELECT field, value FROM field_value WHERE record = ?"),
                                         arguments: [record])
        while let row = try values.next() {
            snapshot.registers[interner.name(row[0])] = Value(databaseValue: row[1])
        }
        let tags = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT field, element, kind FROM set_tag WHERE record = ? AND \(MergeRules.present(.setElement, .logEntry))
            """), arguments: [record])
        var elements: [String: [String]] = [:]
        while let row = try tags.next() {
            let field = interner.name(row[0])
            if row[2] as Int64 == TagKind.logEntry.rawValue {
                snapshot.logCounts[field, default: 0] += 1
            } else {
                elements[field, default: []].append(row[1])
            }
        }
        for (field, list) in elements {
            snapshot.sets[field] = list.utf8SortedDistinct()
        }
        return snapshot
    }
}

extension Array where Element == String {
    /// Sorted and made distinct by UTF-8 bytes, as `RecordState.elements` does. Not a
    /// `Set<String>`: `String` equality is canonical equivalence, so "caf\u{E9}" and
    /// "cafe\u{301}" would collapse into whichever came first, and converged stores would
    /// print different bytes.
    func utf8SortedDistinct() -> [String] {
        var distinct: [String] = []
        for element in sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        where !(distinct.last?.utf8.elementsEqual(element.utf8) ?? false) {
            distinct.append(element)
        }
        return distinct
    }
}

extension Value {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let number): return number.databaseValue
        case .real(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        }
    }

    init(databaseValue: DatabaseValue) {
        switch databaseValue.storage {
        case .null: self = .null
        case .int64(let number): self = .int(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
