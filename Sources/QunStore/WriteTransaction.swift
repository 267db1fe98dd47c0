import GRDB
import QunCore

/// One write transaction on a store: local edits become changes stamped with this replica's
/// next `seq` and HLC, and local and remote changes go through the same apply path.
///
/// Created by `Store.write(_:)`; do not keep it past the closure.
public final class WriteTransaction {
    /// The open database connection, inside `BEGIN IMMEDIATE`. Open to the package's modules
    /// (tools and tests), not to outside users: SQL written past the transaction's own
    /// methods would bypass the change log.
    package let db: Database
    public let replica: ReplicaID
    let nowMilliseconds: Int64
    var interner: Interner
    var lastHLC: HLC
    var nextSeq: Int64
    /// Local changes made but not yet written.
    var pending: [Change] = []
    var applier: Applier
    /// This replica's first seq in this transaction: local changes are `firstSeq..<nextSeq`.
    let firstSeq: Int64
    /// Whether the local changes are recorded as one undoable command (see `Store+Undo`).
    var recordsCommand = true
    /// The text recorded with the command, such as the command line.
    var commandDescription: String?
    /// Set by an undo: the command it reverses.
    var undoesCommand: Int64?

    /// The latest time this replica's clock may be pulled to by remote changes: the local
    /// wall clock plus the skew bound. A change from a laptop with a wrong clock that the
    /// operator accepted anyway must not drag this clock (and every later local edit) into the
    /// future with it, or the skew would spread through the team.
    let clockCeiling: HLC

    /// The store's identity: its laptop key signs the local changes (`CommitBlock`), and its
    /// team's roster says whether this laptop may write at all. Nil in a migration.
    let identity: Store.Identity?
    /// The local changes not yet closed by a signature.
    private var block = CommitBlock()

    init(db: Database, replica: ReplicaID, now: Int64, skew: ClockSkewPolicy, identity: Store.Identity? = nil) throws {
        self.db = db
        self.replica = replica
        self.identity = identity
        nowMilliseconds = now
        clockCeiling = HLC(milliseconds: now + skew.maximumAheadMilliseconds, counter: HLC.maxCounter)
        interner = try Interner(db: db)
        lastHLC = HLC(rawValue: Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_hlc'") ?? "0") ?? 0)
        let ownRow = try interner.replicaRow(replica)
        guard let own = try Row.fetchOne(db, sql: "SELECT contiguous FROM replica WHERE rowid = ?", arguments: [ownRow]) else {
            throw StoreError.corruptRow(table: "replica", detail: "this store's own replica row \(ownRow) is missing")
        }
        nextSeq = try own.required(0, of: "replica", as: Int64.self) + 1
        applier = Applier()
        firstSeq = nextSeq
    }

    // MARK: Local edits

    /// Sets a last-writer-wins field.
    public func set(_ collection: String, _ record: String, _ field: String, _ value: Value) throws {
        make(collection, record, field, .set(value))
    }

    /// Adds an element to an observed-remove set field.
    public func add(_ collection: String, _ record: String, _ field: String, _ element: String) throws {
        make(collection, record, field, .add(element))
    }

    /// Removes an element from a set field: the remove names every add of it this store has
    /// seen, so a concurrent add elsewhere survives.
    public func remove(_ collection: String, _ record: String, _ field: String, _ element: String) throws {
        try flush()
        let observed = try liveTags(collection, record, field, element: element, kind: .setElement)
        if observed.isEmpty { return }
        make(collection, record, field, .remove(element, observed: observed))
    }

    /// Appends an entry to an append-only log field.
    public func append(_ collection: String, _ record: String, _ field: String, _ text: String) throws {
        make(collection, record, field, .append(text))
    }

    /// Tombstones a record.
    public func delete(_ collection: String, _ record: String) throws {
        make(collection, record, "", .delete)
    }

    /// Brings a record back: removes every delete token this store has seen.
    public func restore(_ collection: String, _ record: String) throws {
        try flush()
        let observed = try liveTags(collection, record, "", element: nil, kind: .deleteToken)
        if observed.isEmpty { return }
        make(collection, record, "", .restore(observed: observed))
    }

    /// Moves the clock forward past a change this store received (up to `clockCeiling`).
    func observe(_ hlc: HLC) {
        let bounded = min(hlc, clockCeiling)
        if bounded > lastHLC { lastHLC = bounded }
    }

    func make(_ collection: String, _ record: String, _ field: String, _ operation: Operation) {
        lastHLC = HLC.next(after: lastHLC, now: nowMilliseconds)
        let change = Change(id: ChangeID(replica: replica, seq: nextSeq), hlc: lastHLC,
                            collection: collection, record: record, field: field, operation: operation)
        nextSeq += 1
        pending.append(change)
        if identity?.laptopKey != nil {
            block.add(change)
            if block.count >= CommitBlock.maximumChanges || block.bytes >= CommitBlock.maximumBytes { sealBlock() }
        }
    }

    /// Closes the local changes made since the last signature with a signature change.
    func sealBlock() {
        guard let key = identity?.laptopKey, let first = block.first else { return }
        let signature = key.sign(block.message(replica: replica))
        block = CommitBlock()
        lastHLC = HLC.next(after: lastHLC, now: nowMilliseconds)
        pending.append(Change(id: ChangeID(replica: replica, seq: nextSeq), hlc: lastHLC, collection: .commitCollection,
                              record: "commits", field: "", operation: .signature(first: first, bytes: signature)))
        nextSeq += 1
    }

    private func liveTags(_ collection: String, _ record: String, _ field: String, element: String?, kind: TagKind) throws -> [ChangeID] {
        guard let collectionRow = interner.existingName(collection),
              let fieldRow = interner.existingName(field),
              let recordRow = try interner.existingRecord(collectionRow, record) else { return [] }
        var sql = "SELECT replica, seq FROM set_tag WHERE record = ? AND field = ? AND \(MergeRules.present(kind))"
        var arguments: StatementArguments = [recordRow, fieldRow]
        if let element {
            sql += " AND element = ?"
            arguments += [element]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            ChangeID(replica: try interner.replicaID(row[0]), seq: row[1])
        }.sorted()
    }

    /// Writes the pending local changes through the apply path.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll()
        try applier.apply(batch, local: true, in: self)
        try applier.flush(in: self)
    }

    /// Flushes, then brings the derived state (version vector, deleted flags, materialised
    /// rows) up to date and saves the clock.
    func finish() throws {
        if nextSeq > firstSeq, let team = identity?.team {
            try Store.checkMayWrite(try Store.roster(db, team: team.id), replica: replica)
        }
        sealBlock()
        try flush()
        try applier.flush(in: self)
        try applier.finish(in: self)
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'last_hlc'", arguments: [String(lastHLC.rawValue)])
        try recordCommand()
    }

    /// Records this transaction's local changes as one command of this replica, so that
    /// `undo` can find them.
    private func recordCommand() throws {
        guard recordsCommand, nextSeq > firstSeq else { return }
        try db.execute(sql: """
            INSERT INTO command(replica, first_seq, last_seq, description, undoes, created) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [try interner.replicaRow(replica), firstSeq, nextSeq - 1, commandDescription, undoesCommand, nowMilliseconds])
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('last_command', ?)",
                       arguments: ["\(firstSeq)-\(nextSeq - 1)"])
    }
}

extension Store {
    /// Runs `body` in one immediate write transaction and applies the changes it makes.
    /// Either all of them are committed or none.
    ///
    /// The local changes it makes are recorded as one command (with `commandDescription`),
    /// which `undoLastCommand()` can reverse.
    @discardableResult
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        try write(recordingCommand: true, body)
    }

    func write<T>(recordingCommand: Bool, _ body: (WriteTransaction) throws -> T) throws -> T {
        // One snapshot: identity, skew bound and description as they were together.
        let settings = settings.current
        let now = now()
        return try database.write { db in
            let tx = try WriteTransaction(db: db, replica: settings.identity.replica, now: now, skew: settings.skewPolicy,
                                          identity: settings.identity)
            tx.recordsCommand = recordingCommand
            tx.commandDescription = settings.commandDescription
            let result = try body(tx)
            try tx.finish()
            return result
        }
    }
}
