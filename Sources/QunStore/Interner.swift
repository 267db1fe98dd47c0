import Foundation
import GRDB
import QunCore

/// Maps replica ids, collection/field names and record ids to the small integers the change
/// log stores. Lives for one transaction, so a rolled-back insert never leaves a stale entry.
struct Interner {
    let db: Database
    private var replicaRows: [ReplicaID: Int64] = [:]
    private var replicaIDs: [Int64: ReplicaID] = [:]
    private var nameRows: [ExactText: Int64] = [:]
    private(set) var names: [Int64: String] = [:]
    private var recordRows: [RecordKey: Int64] = [:]
    /// Records created in this transaction.
    private(set) var newRecords: Set<Int64> = []

    struct RecordKey: Hashable {
        var collection: Int64
        var uid: ExactText
    }

    /// A string compared and hashed by its UTF-8 bytes, as SQLite compares text. `String`
    /// equality is canonical equivalence: keyed by `String`, "caf\u{E9}" and "cafe\u{301}"
    /// (distinct rows in SQLite) would share one cached row, and a change would be logged and
    /// forwarded under the other spelling.
    struct ExactText: Hashable {
        var text: String
        init(_ text: String) { self.text = text }
        static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into hasher: inout Hasher) {
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if done == nil { for byte in text.utf8 { hasher.combine(byte) } }
        }
    }

    init(db: Database) throws {
        self.db = db
        // Both tables are small (one row per replica / per field name): load them whole.
        for row in try Row.fetchAll(db, sql: "SELECT rowid, id FROM replica") {
            let id: ReplicaID = try row.required(1, of: "replica")
            replicaRows[id] = row[0]
            replicaIDs[row[0]] = id
        }
        for row in try Row.fetchAll(db, sql: "SELECT rowid, text FROM name") {
            nameRows[ExactText(row[1])] = row[0]
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
        guard let id = replicaIDs[row] else { throw StoreError.corruptRow(table: "replica", detail: "replica row \(row) is missing") }
        return id
    }

    var knownReplicas: [ReplicaID: Int64] { replicaRows }

    mutating func nameRow(_ text: String) throws -> Int64 {
        if let row = nameRows[ExactText(text)] { return row }
        try db.cachedStatement(sql: "INSERT INTO name(text) VALUES (?)").execute(arguments: [text])
        let row = db.lastInsertedRowID
        nameRows[ExactText(text)] = row
        names[row] = text
        return row
    }

    func existingName(_ text: String) -> Int64? { nameRows[ExactText(text)] }

    func name(_ row: Int64) -> String { names[row] ?? "" }

    private var findRecord: FastStatement?
    private var insertRecord: FastStatement?
    private var lastRecord: (key: RecordKey, row: Int64)?

    mutating func recordRow(_ collection: Int64, _ uid: String) throws -> Int64 {
        let key = RecordKey(collection: collection, uid: ExactText(uid))
        // A batch usually carries several changes of one record in a row.
        if let lastRecord, lastRecord.key == key { return lastRecord.row }
        if let row = recordRows[key] {
            lastRecord = (key, row)
            return row
        }
        if findRecord == nil {
            findRecord = try FastStatement(db, sql: "SELECT rowid FROM record WHERE collection = ? AND uid = ?")
            insertRecord = try FastStatement(db, sql: "INSERT INTO record(collection, uid) VALUES (?, ?)")
        }
        try findRecord!.bind(1, collection)
        try findRecord!.bind(2, uid)
        let row: Int64
        if let found = try findRecord!.int64(db) {
            row = found
        } else {
            try insertRecord!.bind(1, collection)
            try insertRecord!.bind(2, uid)
            try insertRecord!.run(db)
            row = db.lastInsertedRowID
            newRecords.insert(row)
        }
        recordRows[key] = row
        lastRecord = (key, row)
        return row
    }

    mutating func existingRecord(_ collection: Int64, _ uid: String) throws -> Int64? {
        let key = RecordKey(collection: collection, uid: ExactText(uid))
        if let row = recordRows[key] { return row }
        let row = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM record WHERE collection = ? AND uid = ?"),
                                     arguments: [collection, uid])
        if let row { recordRows[key] = row }
        return row
    }
}
