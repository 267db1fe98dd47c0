import Foundation
import GRDB
import QunCore

/// Maps replica ids, collection/field names and record ids to the small integers the change
/// log stores. Lives for one transaction, so a rolled-back insert never leaves a stale entry.
struct Interner {
    let db: Database
    private var replicaRows: [ReplicaID: Int64] = [:]
    private var replicaIDs: [Int64: ReplicaID] = [:]
    private var nameRows: [String: Int64] = [:]
    private(set) var names: [Int64: String] = [:]
    private var recordRows: [RecordKey: Int64] = [:]
    /// Records created in this transaction.
    private(set) var newRecords: Set<Int64> = []

    struct RecordKey: Hashable {
        var collection: Int64
        var uid: String
    }

    init(db: Database) throws {
        self.db = db
        // Both tables are small (one row per replica / per field name): load them whole.
        for row in try Row.fetchAll(db, sql: "SELECT rowid, id FROM replica") {
            let id = ReplicaID(bytes: (row[1] as Data))!
            replicaRows[id] = row[0]
            replicaIDs[row[0]] = id
        }
        for row in try Row.fetchAll(db, sql: "SELECT rowid, text FROM name") {
            nameRows[row[1]] = row[0]
            names[row[0]] = row[1]
        }
    }

    mutating func replicaRow(_ id: ReplicaID) throws -> Int64 {
        if let row = replicaRows[id] { return row }
        try db.cachedStatement(sql: "INSERT INTO replica(id) VALUES (?)").execute(arguments: [Data(id.bytes)])
        let row = db.lastInsertedRowID
        replicaRows[id] = row
        replicaIDs[row] = id
        return row
    }

    func replicaID(_ row: Int64) throws -> ReplicaID {
        guard let id = replicaIDs[row] else { throw StoreError.invalidChange("unknown replica row \(row)") }
        return id
    }

    var knownReplicas: [ReplicaID: Int64] { replicaRows }

    mutating func nameRow(_ text: String) throws -> Int64 {
        if let row = nameRows[text] { return row }
        try db.cachedStatement(sql: "INSERT INTO name(text) VALUES (?)").execute(arguments: [text])
        let row = db.lastInsertedRowID
        nameRows[text] = row
        names[row] = text
        return row
    }

    func existingName(_ text: String) -> Int64? { nameRows[text] }

    func name(_ row: Int64) -> String { names[row] ?? "" }

    mutating func recordRow(_ collection: Int64, _ uid: String) throws -> Int64 {
        let key = RecordKey(collection: collection, uid: uid)
        if let row = recordRows[key] { return row }
        if let row = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM record WHERE collection = ? AND uid = ?"),
                                        arguments: [collection, uid]) {
            recordRows[key] = row
            return row
        }
        try db.cachedStatement(sql: "INSERT INTO record(collection, uid) VALUES (?, ?)").execute(arguments: [collection, uid])
        let row = db.lastInsertedRowID
        recordRows[key] = row
        newRecords.insert(row)
        return row
    }

    mutating func existingRecord(_ collection: Int64, _ uid: String) throws -> Int64? {
        let key = RecordKey(collection: collection, uid: uid)
        if let row = recordRows[key] { return row }
        let row = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM record WHERE collection = ? AND uid = ?"),
                                     arguments: [collection, uid])
        if let row { recordRows[key] = row }
        return row
    }
}
