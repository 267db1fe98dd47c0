import Foundation
import GRDB
import QunCore

/// What `undoLastCommand()` reversed.
public struct UndoResult: Sendable, Equatable {
    /// The undone command's description (its command line), or a summary of its changes.
    public var command: String
    /// How many changes the undone command had made.
    public var undoneChanges: Int
    /// How many new changes the undo wrote.
    public var writtenChanges: Int
    /// Fields left alone because a later change (a teammate's, or a later command of
    /// yours) has replaced the value the command wrote: undo never overwrites newer work.
    public var skipped: [String]
}

extension Store {
    /// Reverses this replica's latest command that is neither undone nor itself an undo, by
    /// writing new changes (so the undo syncs like any edit):
    ///
    /// - a record the command created is deleted (its member number stays used: numbers
    ///   are never reused);
    /// - `set` → the field's value just before the command (the highest-stamped earlier
    ///   set, or null), unless the field no longer holds the value the command wrote (a
    ///   later change replaced it: undo never overwrites newer work);
    /// - `add` / `append` → a remove of exactly that tag;
    /// - `remove` → the element added again;
    /// - `delete` → a restore of that token; `restore` → a new delete.
    ///
    /// The command is marked undone, so repeating undo walks further back.
    public func undoLastCommand() throws -> UndoResult {
        try write(recordingCommand: true) { tx in try tx.undoLastCommand() }
    }
}

extension WriteTransaction {
    fileprivate struct LoggedChange {
        var change: Change
        var record: Int64
        var field: Int64
    }

    fileprivate func undoLastCommand() throws -> UndoResult {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, replica, first_seq, last_seq, description FROM command
            WHERE undone = 0 AND undoes IS NULL ORDER BY id DESC LIMIT 1
            """) else { throw StoreError.nothingToUndo }
        let commandID: Int64 = row["id"]
        let replicaRow: Int64 = row["replica"]
        let changes = try loggedChanges(replica: replicaRow, from: row["first_seq"], through: row["last_seq"])
        let description = (row["description"] as String?) ?? Self.summary(of: changes.map(\.change))
        commandDescription = "undo " + description
        undoesCommand = commandID
        try db.execute(sql: "UPDATE command SET undone = 1 WHERE id = ?", arguments: [commandID])

        let before = nextSeq
        var skipped: [String] = []
        // Records the command created: deleting them is the whole inverse.
        var created: Set<Int64> = []
        for record in Set(changes.map(\.record)) {
            let first = changes.filter { $0.record == record }.map(\.change.hlc).min()!
            let earlier = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM change WHERE record = ? AND hlc < ?
                               AND NOT (replica = ? AND seq BETWEEN ? AND ?))
                """, arguments: [record, first.rawValue, replicaRow, row["first_seq"] as Int64, row["last_seq"] as Int64])!
            if !earlier { created.insert(record) }
        }
        var handledRegisters: Set<[Int64]> = []
        for logged in changes.reversed() {
            let change = logged.change
            if created.contains(logged.record) {
                if handledRegisters.insert([logged.record, -1]).inserted, try !isDeleted(logged.record) {
                    try delete(change.collection, change.record)
                }
                continue
            }
            switch change.operation {
            case .set:
                // Several sets of one field in one command: reverse them once, from the last.
                guard handledRegisters.insert([logged.record, logged.field]).inserted else { continue }
                let sets = changes.filter { $0.record == logged.record && $0.field == logged.field }.map(\.change)
                let earliest = sets.map(\.stamp).min()!
                guard case .set(let written) = change.operation,
                      try currentValue(record: logged.record, field: logged.field) == written else {
                    skipped.append("\(change.collection) \(change.record.prefix(8)) \(change.field)")
                    continue
                }
                try set(change.collection, change.record, change.field,
                        try value(record: logged.record, field: logged.field, before: earliest))
            case .add(let element), .append(let element):
                if try isLiveTag(logged, change.id) {
                    make(change.collection, change.record, change.field, .remove(element, observed: [change.id]))
                }
            case .remove(let element, _):
                try flush()
                if try !isPresent(logged, element) {
                    try add(change.collection, change.record, change.field, element)
                }
            case .delete:
                if try isLiveTag(logged, change.id) {
                    make(change.collection, change.record, "", .restore(observed: [change.id]))
                }
            case .restore:
                try flush()
                if try !isDeleted(logged.record) { try delete(change.collection, change.record) }
            case .signature, .roster, .unknown:
                break
            }
        }
        return UndoResult(command: description, undoneChanges: changes.count,
                          writtenChanges: Int(nextSeq - before), skipped: skipped)
    }

    private func loggedChanges(replica: Int64, from first: Int64, through last: Int64) throws -> [LoggedChange] {
        return try Row.fetchAll(db, sql: """
            SELECT p.id AS replica_id, c.seq, c.hlc, r.collection, r.uid AS record, c.field, c.op, c.payload,
                   c.record AS record_row
            FROM change c JOIN record r ON r.rowid = c.record JOIN replica p ON p.rowid = c.replica
            WHERE c.replica = ? AND c.seq BETWEEN ? AND ? ORDER BY c.seq
            """, arguments: [replica, first, last]).map { row in
            let change = try Change(row: row, table: "change", names: interner.names)
            return LoggedChange(change: change, record: try row.required("record_row", of: "change"),
                                field: try row.required("field", of: "change"))
        }
    }

    private func isDeleted(_ record: Int64) throws -> Bool {
        try flush()
        return try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM set_tag WHERE record = ? AND \(MergeRules.present(.deleteToken)))
            """, arguments: [record])!
    }

    /// The register's winning value now. The command's value still standing (written by it,
    /// or put back by an earlier undo) is what may be reversed; anything else is newer work.
    private func currentValue(record: Int64, field: Int64) throws -> Value? {
        try flush()
        guard let row = try Row.fetchOne(db, sql: "SELECT value FROM field_value WHERE record = ? AND field = ?",
                                         arguments: [record, field]) else { return nil }
        return Value(databaseValue: row[0])
    }

    /// The register's value just before `stamp`: the highest-stamped earlier set, or null.
    private func value(record: Int64, field: Int64, before stamp: Stamp) throws -> Value {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.hlc, rep.id, c.payload FROM change c JOIN replica rep ON rep.rowid = c.replica
            WHERE c.record = ? AND c.field = ? AND c.op = 1 AND c.hlc <= ?
            """, arguments: [record, field, stamp.hlc.rawValue])
        var best: (Stamp, [UInt8])?
        for row in rows {
            let candidate = Stamp(hlc: try row.required(0, of: "change"), replica: try row.required(1, of: "replica"))
            guard candidate < stamp else { continue }
            if best == nil || best!.0 < candidate { best = (candidate, [UInt8](row[2] as Data)) }
        }
        guard let best, case .set(let value) = try Operation(code: 1, payload: best.1) else { return .null }
        return value
    }

    private func isLiveTag(_ logged: LoggedChange, _ tag: ChangeID) throws -> Bool {
        try flush()
        return try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM set_tag WHERE record = ? AND field = ? AND replica = ? AND seq = ? AND removed = 0)
            """, arguments: [logged.record, logged.field, try interner.replicaRow(tag.replica), tag.seq])!
    }

    private func isPresent(_ logged: LoggedChange, _ element: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM set_tag WHERE record = ? AND field = ? AND element = ? AND \(MergeRules.present(.setElement)))
            """, arguments: [logged.record, logged.field, element])!
    }

    /// A description for a command recorded without one (a store-level write).
    static func summary(of changes: [Change]) -> String {
        let records = Set(changes.map { "\($0.collection) \($0.record.prefix(8))" }).sorted()
        let shown = records.prefix(3).joined(separator: ", ") + (records.count > 3 ? ", …" : "")
        return "\(changes.count) change\(changes.count == 1 ? "" : "s") to \(shown)"
    }
}
