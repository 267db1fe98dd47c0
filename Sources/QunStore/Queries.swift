import Foundation
import GRDB
import QunCore

extension Store {
    /// Operator names by replica, from the replicated `operator` collection, else from the
    /// roster (a viewer writes no operator record; a laptop's roster entry arrives first).
    public func operatorNames() throws -> [ReplicaID: String] {
        try database.read { db in
            var names: [ReplicaID: String] = [:]
            if let team = identity.team {
                for entry in try Store.roster(db, team: team.id).entries.values where !entry.name.isEmpty {
                    names[entry.replica] = entry.name
                }
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT rec.uid, fv.value FROM record rec
                JOIN name c ON c.rowid = rec.collection AND c.text = ?
                JOIN field_value fv ON fv.record = rec.rowid
                JOIN name f ON f.rowid = fv.field AND f.text = 'name'
                """, arguments: [String.operatorCollection])
            for row in rows {
                if let replica = ReplicaID(hex: row[0]), let name = row[1] as String? { names[replica] = name }
            }
            return names
        }
    }

    /// How many changes of operations this qun does not know the log holds from `replica`
    /// (a range scan of that replica's part of the log).
    public func unknownOperationCount(of replica: ReplicaID) throws -> Int {
        let known = Operation.knownCodes
        return try database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM change
                WHERE replica = (SELECT rowid FROM replica WHERE id = ?) AND op NOT BETWEEN ? AND ?
                """, arguments: [Data(replica.bytes), Int(known.lowerBound), Int(known.upperBound)]) ?? 0
        }
    }

    /// The version vector: for each origin replica, the highest seq held without gaps.
    public func versionVector() throws -> VersionVector {
        try database.read { db in try Store.versionVector(db) }
    }

    static func versionVector(_ db: Database) throws -> VersionVector {
        var entries: [ReplicaID: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, contiguous FROM replica WHERE contiguous > 0") {
            entries[try row.required(0, of: "replica", as: ReplicaID.self)] = try row.required(1, of: "replica")
        }
        return VersionVector(entries)
    }

    /// Changes this store holds that a holder of `vector` lacks, in `(replica, seq)` order,
    /// `limit` of them, or with `wholeBlocks` up to `CommitBlock.maximumChanges` more to finish
    /// the commit block the limit falls in: a sync page never cuts a block, so every page can
    /// be verified on its own. Cost grows with the answer, not with the log: each replica's part is a range scan
    /// of the primary key.
    ///
    /// - Parameter wholeBlocks: run past `limit` to the end of the commit block it falls in.
    /// - Parameter maximumBytes: stop, like `limit`, once the changes' payloads reach this
    ///   many bytes: a page of large values stays within a request body.
    public func changes(since vector: VersionVector = VersionVector(), after cursor: ChangeID? = nil, limit: Int = .max,
                        wholeBlocks: Bool = false, maximumBytes: Int = .max) throws -> [Change] {
        try database.read { db in
            var result: [Change] = []
            var bytes = 0
            var full: Bool { result.count >= limit || bytes >= maximumBytes }
            var names: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowid, text FROM name") { names[row[0]] = row[1] }
            let replicas = try Row.fetchAll(db, sql: "SELECT rowid, id FROM replica ORDER BY id")
            for replicaRow in replicas {
                if full { break }
                let replicaStart = result.count
                let replica: ReplicaID = try replicaRow.required(1, of: "replica")
                // Resume after the cursor of the previous page (replica order, then seq).
                var start = vector[replica]
                if let cursor {
                    if replica < cursor.replica { continue }
                    if replica == cursor.replica { start = max(start, cursor.seq) }
                }
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT p.id AS replica_id, c.seq, c.hlc, r.collection, r.uid AS record, c.field, c.op, c.payload
                    FROM change c JOIN record r ON r.rowid = c.record JOIN replica p ON p.rowid = c.replica
                    WHERE c.replica = ? AND c.seq > ? ORDER BY c.seq LIMIT ?
                    """, arguments: [replicaRow[0] as Int64, start, limit == .max ? Int.max : limit - result.count + (wholeBlocks ? CommitBlock.maximumChanges + 1 : 0)])
                while let row = try rows.next() {
                    // Past the limit, only to the end of the block.
                    if full {
                        guard wholeBlocks, result.count > replicaStart else { break }
                        if case .signature = result.last!.operation { break }
                        if result.count >= limit + CommitBlock.maximumChanges { break }
                    }
                    let change = try Change(row: row, table: "change", names: names)
                    bytes += change.operation.payload.count
                    result.append(change)
                }
            }
            return result
        }
    }

    /// Every change of one record, oldest first, by `(hlc, replica)`.
    public func history(collection: String, id: String) throws -> [Change] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT rep.id AS replica_id, c.seq, c.hlc, col.text AS collection, r.uid AS record, f.text AS field,
                       c.op, c.payload
                FROM change c
                JOIN record r ON r.rowid = c.record
                JOIN name col ON col.rowid = r.collection
                JOIN name f ON f.rowid = c.field
                JOIN replica rep ON rep.rowid = c.replica
                WHERE col.text = ? AND r.uid = ?
                ORDER BY c.hlc, rep.id
                """, arguments: [collection, id])
            return try rows.map { row in try Change(row: row, table: "change") }
        }
    }

    /// Records of any collection whose id starts with `prefix`: `(collection, id)`.
    public func records(idPrefix prefix: String) throws -> [(collection: String, id: String)] {
        let lower = prefix.lowercased()
        return try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.text, r.uid FROM record r JOIN name c ON c.rowid = r.collection
                WHERE r.uid >= ? AND r.uid < ? ORDER BY r.uid LIMIT 10
                """, arguments: [lower, lower + "\u{10FFFF}"]).map { ($0[0], $0[1]) }
        }
    }

    /// The canonical export: every live record of every collection, known or not, sorted,
    /// with stable key order. Replicas that hold the same changes print the same bytes.
    public func export() throws -> JSON {
        try database.read { db in
            var names: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowid, text FROM name") { names[row[0]] = row[1] }
            var replicas: [Int64: ReplicaID] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowid, id FROM replica") {
                replicas[try row.required(0, of: "replica")] = try row.required(1, of: "replica", as: ReplicaID.self)
            }
            var fields: [Int64: [String: JSON]] = [:]
            let values = try Row.fetchCursor(db, sql: """
                SELECT fv.record, fv.field, fv.value FROM field_value fv
                JOIN record r ON r.rowid = fv.record WHERE r.deleted = 0 AND fv.value IS NOT NULL
                """)
            while let row = try values.next() {
                fields[row[0], default: [:]][names[row[1]] ?? ""] = Value(databaseValue: row[2]).json
            }
            var sets: [Int64: [String: [String]]] = [:]
            var logs: [Int64: [String: [(HLC, ChangeID, String)]]] = [:]
            let tags = try Row.fetchCursor(db, sql: """
                SELECT t.record, t.field, t.element, t.kind, t.hlc, t.replica, t.seq FROM set_tag t
                JOIN record r ON r.rowid = t.record
                WHERE r.deleted = 0 AND \(MergeRules.present(.setElement, .logEntry, table: "t"))
                """)
            while let row = try tags.next() {
                let record: Int64 = row[0]
                let field = names[row[1]] ?? ""
                if row[3] as Int64 == TagKind.logEntry.rawValue {
                    let replicaRow: Int64 = try row.required(5, of: "set_tag")
                    guard let replica = replicas[replicaRow] else {
                        throw StoreError.corruptRow(table: "set_tag", detail: "a log entry names replica row \(replicaRow), which does not exist")
                    }
                    let id = ChangeID(replica: replica, seq: try row.required(6, of: "set_tag"))
                    logs[record, default: [:]][field, default: []].append((try row.required(4, of: "set_tag", as: HLC.self), id, row[2]))
                } else {
                    sets[record, default: [:]][field, default: []].append(row[2])
                }
            }
            let anyCounted = try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM change c LEFT JOIN void_change v ON v.replica = c.replica AND v.seq = c.seq
                               WHERE c.record = ? AND v.seq IS NULL)
                """)
            func voidOnly(_ record: Int64) throws -> Bool { try Bool.fetchOne(anyCounted, arguments: [record]) == false }
            var collections: [String: [(String, JSON)]] = [:]
            let records = try Row.fetchCursor(db, sql: "SELECT rowid, collection, uid FROM record WHERE deleted = 0")
            while let row = try records.next() {
                let record: Int64 = row[0]
                let uid: String = row[2]
                let collection = names[row[1]] ?? ""
                // The roster and commit signatures are the team's, not records.
                if collection.hasPrefix("_") { continue }
                var members = fields[record] ?? [:]
                for (field, elements) in sets[record] ?? [:] {
                    members[field] = .array(elements.utf8SortedDistinct().map { .string($0) })
                }
                for (field, entries) in logs[record] ?? [:] {
                    members[field] = .array(entries.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { entry in
                        .object([("at", .int(entry.0.milliseconds)), ("by", .string(entry.1.replica.hex)), ("text", .string(entry.2))])
                    })
                }
                // A record only void changes ever touched (written after its author's removal)
                // is not the team's.
                if members.isEmpty, try voidOnly(record) { continue }
                members["id"] = .string(uid)
                collections[collection, default: []].append((uid, .object(Array(members))))
            }
            return Document.exportJSON(collections)
        }
    }
}
