import Foundation
import GRDB
import QunCore

/// What the authorship check did with a batch of remote changes.
public struct AuthorshipReport: Sendable, Equatable {
    /// Changes refused before they reached the log, by why: a signature that does not
    /// verify (`forged`).
    public var refused: [String: Int] = [:]
    /// Changes kept in the log but left out of the records because the roster says they do
    /// not count, by reason (`Roster.Void`), counted when they arrive or when a roster change
    /// voids them after they arrived.
    public var voided: [String: Int] = [:]
    /// Changes that counted until a roster change and are left out now, or the reverse.
    public var recounted = 0
    /// Whether the batch changed the roster.
    public var rosterChanged = false
    /// Changes of commit blocks not whole yet, waiting here for the rest (after this batch).
    public var waiting = 0

    public init() {}

    public var isEmpty: Bool { refused.isEmpty && voided.isEmpty && recounted == 0 }
}

extension WriteTransaction {
    /// Checks the authorship of remote changes before they are applied.
    ///
    /// Each commit block (the changes `first..<seq` closed by a signature change) must carry
    /// its author's signature, by the key the roster gives that author; a block that enters
    /// its author into the roster (`found`, `claim`) is checked with the key it declares. The
    /// roster operations of the batch are taken first, so that a batch that adds a teammate
    /// and carries that teammate's changes is read in one go. Changes of a laptop before its
    /// `signedFrom` (written by an earlier release) and of laptops the roster does not know
    /// (in an open team) are unsigned and taken as they are.
    ///
    /// Changes of a block that is not whole yet wait in `unverified_change` and are checked
    /// again with every later batch, so that blocks delivered in pieces, in any order, go in
    /// once whole.
    ///
    /// Returns the changes to apply and those of them that do not count.
    func checkAuthorship(_ incoming: [Change], report: inout AuthorshipReport) throws -> (accepted: [Change], voids: [ChangeID: Roster.Void]) {
        guard let team = try identity?.team?.id ?? Store.teamID(db) else { return (incoming, [:]) }
        let waited = try Row.fetchAll(db, sql: "SELECT * FROM unverified_change").map { try Change(row: $0, table: "unverified_change") }
        if !waited.isEmpty { try db.execute(sql: "DELETE FROM unverified_change") }
        let changes = waited + incoming
        var unverified: [Change] = []
        var operations = try Store.rosterOperations(db)
        var roster = Roster.fold(operations, team: team)

        // Changes this store already holds (up to each replica's contiguous seq) go to the
        // apply path, which checks they are the same changes.
        var contiguous: [ReplicaID: Int64] = [:]
        func held(_ replica: ReplicaID) throws -> Int64 {
            if let seq = contiguous[replica] { return seq }
            let seq = try Int64.fetchOne(db, sql: "SELECT contiguous FROM replica WHERE id = ?", arguments: [Data(replica.bytes)]) ?? 0
            contiguous[replica] = seq
            return seq
        }
        var accepted: [Change] = []
        var byReplica: [ReplicaID: [Int64: Change]] = [:]
        for change in changes {
            // Changes under this store's own id, and those it holds already, go to the apply
            // path, which checks they are the very changes it has (or reports a clash).
            if try change.id.replica == replica || change.id.seq <= held(change.id.replica) {
                accepted.append(change)
            } else {
                byReplica[change.id.replica, default: [:]][change.id.seq] = change
            }
        }

        struct Block {
            var changes: [Change]
            var signature: [UInt8]
            var declaredKey: [UInt8]?
        }
        var blocks: [Block] = []
        var loose: [Change] = []
        for (_, bySeq) in byReplica {
            var inBlock: Set<Int64> = []
            for change in bySeq.values {
                guard case .signature(let first, let bytes) = change.operation, first < change.id.seq else { continue }
                var members = (first..<change.id.seq).compactMap { bySeq[$0] }
                if members.count < Int(change.id.seq - first),
                   let row = try Int64.fetchOne(db, sql: "SELECT rowid FROM replica WHERE id = ?", arguments: [Data(change.id.replica.bytes)]) {
                    // Part of the block may be in the log already (an earlier release took it
                    // unsigned, or a batch repeated it).
                    var have = Dictionary(uniqueKeysWithValues: members.map { ($0.id.seq, $0) })
                    for logged in try Store.loggedChanges(db, replicaRow: row, seqs: first...(change.id.seq - 1)) where have[logged.id.seq] == nil {
                        have[logged.id.seq] = logged
                    }
                    members = (first..<change.id.seq).compactMap { have[$0] }
                }
                guard members.count == Int(change.id.seq - first) else {
                    unverified += members + [change]
                    inBlock.formUnion(first...change.id.seq)
                    continue
                }
                let declared = members.lazy.compactMap { member -> [UInt8]? in
                    guard case .roster(let payload) = member.operation, member.collection == .rosterCollection,
                          let op = try? RosterOp(payload: payload), op.kind == .found || op.kind == .claim,
                          op.replica == member.id.replica.hex else { return nil }
                    return op.sign.map(Store.bytes(hex:))
                }.first
                blocks.append(Block(changes: members + [change], signature: bytes, declaredKey: declared))
                inBlock.formUnion(first...change.id.seq)
            }
            loose += bySeq.values.filter { !inBlock.contains($0.id.seq) }
        }

        // Blocks whose author's key is known are checked; a checked block's roster
        // operations may make further keys known.
        var pending = blocks.sorted { $0.changes[0].id < $1.changes[0].id }
        var progress = true
        while progress && !pending.isEmpty {
            progress = false
            var waiting: [Block] = []
            for block in pending {
                let author = block.changes[0].id.replica
                guard let key = roster.entries[author]?.signingKey ?? block.declaredKey else {
                    waiting.append(block)
                    continue
                }
                progress = true
                let signed = Array(block.changes.dropLast())
                guard CommitBlock.verify(signed, signature: block.signature, publicKey: key) else {
                    report.refused["forged", default: 0] += block.changes.count
                    continue
                }
                accepted += block.changes
                let added = block.changes.compactMap { change -> LoggedRosterOp? in
                    guard case .roster(let payload) = change.operation, change.collection == .rosterCollection,
                          let op = try? RosterOp(payload: payload) else { return nil }
                    return LoggedRosterOp(id: change.id, stamp: change.stamp, op: op, blockFirst: block.changes[0].id.seq)
                }
                if !added.isEmpty {
                    operations += added
                    roster = Roster.fold(operations, team: team)
                }
            }
            pending = waiting
        }
        // Blocks of laptops the roster does not know: in an open team they are taken as they
        // are, like an earlier release's; in a locked one they wait for the author's entry
        // (they would not count before it anyway).
        for block in pending {
            if roster.isLocked { unverified += block.changes } else { accepted += block.changes }
        }

        for change in loose {
            if let entry = roster.entries[change.id.replica], change.id.seq >= entry.signedFrom {
                // Its block's signature has not come yet.
                unverified.append(change)
            } else {
                accepted.append(change)
            }
        }

        let keep = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO unverified_change(replica_id, seq, hlc, collection, record, field, op, payload, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for change in unverified {
            try Applier.check(change)
            try keep.execute(arguments: [
                Data(change.id.replica.bytes), change.id.seq, change.hlc.rawValue, change.collection, change.record,
                change.field, Int64(change.operation.code), Data(change.operation.payload), nowMilliseconds,
            ])
        }
        report.waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM unverified_change") ?? 0
        var voids: [ChangeID: Roster.Void] = [:]
        for change in accepted where !change.operation.isInert {
            if let reason = roster.void(replica: change.id.replica, seq: change.id.seq, stamp: change.stamp) {
                voids[change.id] = reason
                report.voided[reason.rawValue, default: 0] += 1
            }
        }
        return (accepted, voids)
    }

    /// After a roster change: recomputes which logged changes count for every laptop whose
    /// entry changed (and, when the team was locked, for laptops outside the roster), and
    /// rebuilds the records whose changes moved in or out.
    func recount(from old: Roster, to new: Roster, report: inout AuthorshipReport) throws {
        var replicas = Set<ReplicaID>()
        for replica in Set(old.entries.keys).union(new.entries.keys) where old.entries[replica] != new.entries[replica] {
            replicas.insert(replica)
        }
        var strangers = false
        if old.lockedAt != new.lockedAt {
            strangers = true
        }
        var rows: [(Int64, ReplicaID)] = []
        for row in try Row.fetchAll(db, sql: "SELECT rowid, id FROM replica") {
            let replica: ReplicaID = try row.required(1, of: "replica")
            if replicas.contains(replica) || (strangers && new.entries[replica] == nil) { rows.append((row[0], replica)) }
        }
        var rebuild: Set<Int64> = []
        for (row, replica) in rows {
            let voided = Set(try Int64.fetchAll(db, sql: "SELECT seq FROM void_change WHERE replica = ?", arguments: [row]))
            let logged = try Row.fetchAll(db, sql: "SELECT seq, hlc, record, op FROM change WHERE replica = ?", arguments: [row])
            for change in logged {
                let seq: Int64 = change[0]
                let code: Int64 = try change.required(3, of: "change")
                if code >= 7 { continue }
                let reason = new.void(replica: replica, seq: seq, stamp: Stamp(hlc: try change.required(1, of: "change"), replica: replica))
                guard (reason != nil) != voided.contains(seq) else { continue }
                if let reason {
                    try db.execute(sql: "INSERT OR REPLACE INTO void_change(replica, seq, reason) VALUES (?, ?, ?)",
                                   arguments: [row, seq, reason.rawValue])
                    report.voided[reason.rawValue, default: 0] += 1
                } else {
                    try db.execute(sql: "DELETE FROM void_change WHERE replica = ? AND seq = ?", arguments: [row, seq])
                }
                report.recounted += 1
                rebuild.insert(change[2])
            }
        }
        if !rebuild.isEmpty {
            try applier.flush(in: self)
            try applier.rebuild(rebuild, in: self)
        }
    }
}

extension Store {
    static func teamID(_ db: Database) throws -> ReplicaID? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'team_id'").flatMap(ReplicaID.init(hex:))
    }
}

extension WriteTransaction {
    /// On an admin's laptop: seals the current epoch's key to every teammate the epoch did not
    /// reach (it entered the roster, or its entry arrived here, after the epoch started), so
    /// that no teammate is left unable to read.
    func grantMissingKeys(_ roster: Roster) throws {
        guard let identity, let team = identity.team, roster.currentEpoch > 1,
              roster.entries[identity.replica].map({ $0.removal == nil && $0.role == .admin }) == true,
              let epoch = roster.epochs[roster.currentEpoch],
              let key = try Store.epochKeys(db, team: team)[epoch.number] else { return }
        let missing = roster.active.filter { entry in !epoch.grants.contains { $0.replica == entry.replica.hex } }
        guard !missing.isEmpty else { return }
        var grant = RosterOp(kind: .grant)
        grant.epoch = epoch.number
        grant.grants = try missing.map {
            try KeyGrant.seal(key, purpose: "epoch \(epoch.number)", team: team.id, to: $0.replica, agreementKey: $0.agreementKey)
        }
        let vector = try Store.versionVector(db)
        grant.vector = Dictionary(uniqueKeysWithValues: vector.entries.filter { $0.value > 0 }.map { ($0.key.hex, $0.value) })
        // Not an operator's command: `undo` must not find it.
        recordsCommand = false
        make(.rosterCollection, RecordID.random(), "op", .roster(grant.payload))
        sealBlock()
    }
}
