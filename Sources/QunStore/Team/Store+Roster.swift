import Crypto
import Foundation
import GRDB
import QunCore

extension String {
    /// The collection of roster operations.
    public static let rosterCollection = "_roster"
    /// The collection of commit signatures.
    public static let commitCollection = "_commit"
}

/// Refusals of the roster: what this laptop may not do.
public enum RosterError: Error, Equatable, CustomStringConvertible {
    case notAdmin(operation: String)
    case viewer
    case removed(by: String)
    case notInRoster
    case noSuchTeammate(String)
    case ambiguousTeammate(String, [String])
    case lastAdmin
    case noTeam

    public var description: String {
        switch self {
        case .notAdmin(let operation):
            return "only an admin can \(operation); `qun team list` shows who the admins are"
        case .viewer:
            return "this laptop is a viewer in the team: it can read and sync, not write; an admin can run `qun team role NAME editor`"
        case .removed(let by):
            return "this laptop was removed from the team by \(by): its edits would reach no one; the data here stays yours to read"
        case .notInRoster:
            return "this laptop is not in the team's roster (the team is locked): ask an admin for an invite (`qun team invite`)"
        case .noSuchTeammate(let name):
            return "no teammate \"\(name)\" in the roster; `qun team list` shows the names"
        case .ambiguousTeammate(let name, let matches):
            return "\"\(name)\" matches several teammates (\(matches.joined(separator: ", "))): give more of the replica id"
        case .lastAdmin:
            return "that would leave the team without an admin: make someone else admin first (`qun team role NAME admin`)"
        case .noTeam:
            return "this store belongs to no team"
        }
    }
}

extension Store {
    /// The team roster as this laptop's log has it.
    public func roster() throws -> Roster {
        guard let team = identity.team else { throw RosterError.noTeam }
        return try database.read { db in try Store.roster(db, team: team.id) }
    }

    static func roster(_ db: Database, team: ReplicaID) throws -> Roster {
        Roster.fold(try rosterOperations(db), team: team)
    }

    /// Every roster operation in the log, with the start of the commit block it belongs to.
    static func rosterOperations(_ db: Database) throws -> [LoggedRosterOp] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT p.id, c.replica, c.seq, c.hlc, c.payload FROM change c
            JOIN record r ON r.rowid = c.record JOIN name n ON n.rowid = r.collection
            JOIN replica p ON p.rowid = c.replica
            WHERE n.text = ? AND c.op = 8
            """, arguments: [String.rosterCollection])
        let signature = try db.cachedStatement(sql: "SELECT payload FROM change WHERE replica = ? AND seq > ? AND op = 7 ORDER BY seq LIMIT 1")
        return try rows.compactMap { row in
            let replica: ReplicaID = try row.required(0, of: "replica")
            let payload: Data = try row.required(4, of: "change")
            guard let op = try? RosterOp(payload: Array(payload)) else { return nil }
            let seq: Int64 = row[2]
            var blockFirst = seq
            if let signed = try Data.fetchOne(signature, arguments: [row[1] as Int64, seq]),
               case .signature(let first, _) = try Operation(code: 7, payload: signed) {
                blockFirst = first
            }
            let hlc: HLC = try row.required(3, of: "change")
            return LoggedRosterOp(id: ChangeID(replica: replica, seq: seq), stamp: Stamp(hlc: hlc, replica: replica),
                                  op: op, blockFirst: blockFirst)
        }
    }

    /// Writes roster operations as one commit of their own (so that they can be sent ahead of
    /// the data, see `rosterChanges()`), each carrying this laptop's version vector.
    func writeRoster(_ operations: [RosterOp], in tx: WriteTransaction) throws {
        let vector = try Store.versionVector(tx.db)
        var seen: [String: Int64] = [:]
        for (replica, seq) in vector.entries where seq > 0 { seen[replica.hex] = seq }
        for var operation in operations {
            operation.vector = seen
            tx.make(.rosterCollection, RecordID.random(), "op", .roster(operation.payload))
        }
        try tx.sealBlock()
    }

    /// The roster's changes with their commit signatures, for a peer to learn the roster
    /// before the data: who may write, with which key, and the key grants.
    public func rosterChanges() throws -> [Change] {
        try database.read { db in
            let blocks = try Row.fetchAll(db, sql: """
                SELECT DISTINCT c.replica, c.seq FROM change c
                JOIN record r ON r.rowid = c.record JOIN name n ON n.rowid = r.collection
                WHERE n.text = ? AND c.op = 8
                """, arguments: [String.rosterCollection])
            var ranges: [Int64: Set<ClosedRange<Int64>>] = [:]
            let signature = try db.cachedStatement(sql: "SELECT seq, payload FROM change WHERE replica = ? AND seq > ? AND op = 7 ORDER BY seq LIMIT 1")
            for row in blocks {
                let replica: Int64 = row[0], seq: Int64 = row[1]
                guard let signed = try Row.fetchOne(signature, arguments: [replica, seq]),
                      case .signature(let first, _) = try Operation(code: 7, payload: Array(signed[1] as Data)) else { continue }
                ranges[replica, default: []].insert(first...(signed[0] as Int64))
            }
            var changes: [Change] = []
            for (replica, spans) in ranges {
                for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                    changes += try Store.loggedChanges(db, replicaRow: replica, seqs: span)
                }
            }
            return changes
        }
    }

    static func loggedChanges(_ db: Database, replicaRow: Int64, seqs: ClosedRange<Int64>) throws -> [Change] {
        try Row.fetchAll(db, sql: """
            SELECT p.id AS replica_id, c.seq, c.hlc, n.text AS collection, r.uid AS record, f.text AS field, c.op, c.payload FROM change c
            JOIN replica p ON p.rowid = c.replica JOIN record r ON r.rowid = c.record
            JOIN name n ON n.rowid = r.collection JOIN name f ON f.rowid = c.field
            WHERE c.replica = ? AND c.seq BETWEEN ? AND ? ORDER BY c.seq
            """, arguments: [replicaRow, seqs.lowerBound, seqs.upperBound]).map { row in
            try Change(row: row, table: "change")
        }
    }

    // MARK: What this laptop may do

    /// Refuses local writes that every peer would refuse: by a viewer, by a removed laptop,
    /// or by a laptop outside the roster of a locked team.
    static func checkMayWrite(_ roster: Roster, replica: ReplicaID) throws {
        guard let entry = roster.entries[replica] else {
            if roster.isLocked { throw RosterError.notInRoster }
            return
        }
        if let removal = entry.removal {
            throw RosterError.removed(by: roster.entries[removal.by]?.name ?? removal.by.hex.prefix(8).description)
        }
        if entry.role == .viewer { throw RosterError.viewer }
    }

    // MARK: Key epochs

    /// The data keys this laptop holds, by epoch: epoch 1 from the team secret unless the
    /// store holds it, later ones from the grants sealed to this laptop.
    public func epochKeys() throws -> [UInt32: [UInt8]] {
        guard let team = identity.team else { throw RosterError.noTeam }
        return try database.read { db in try Store.epochKeys(db, team: team) }
    }

    static func epochKeys(_ db: Database, team: Team) throws -> [UInt32: [UInt8]] {
        var keys: [UInt32: [UInt8]] = [1: Store.legacyEpochKey(team)]
        for row in try Row.fetchAll(db, sql: "SELECT epoch, key FROM team_key") {
            keys[UInt32(row[0] as Int64)] = Array(row[1] as Data)
        }
        return keys
    }

    /// Epoch 1: derived from the team secret, as every earlier release did.
    static func legacyEpochKey(_ team: Team) -> [UInt8] {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: team.secret), salt: Data(team.id.bytes),
            info: Data("qun team key epoch 1".utf8), outputByteCount: 32
        ).withUnsafeBytes { Array($0) }
    }

    /// Opens the key grants the roster holds for this laptop and keeps the keys.
    static func installGrants(_ roster: Roster, db: Database, identity: Identity) throws {
        guard let key = identity.laptopKey, let team = identity.team else { return }
        for epoch in roster.epochs.values {
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM team_key WHERE epoch = ?)", arguments: [epoch.number]) == false,
                  let grant = epoch.grants.first(where: { $0.replica == identity.replica.hex }),
                  let opened = grant.open(purpose: "epoch \(epoch.number)", team: team.id, recipient: identity.replica, with: key)
            else { continue }
            try db.execute(sql: "INSERT INTO team_key(epoch, key) VALUES (?, ?)", arguments: [epoch.number, Data(opened)])
        }
    }
}

extension Store {
    /// The operation by which this laptop enters the roster itself.
    func selfEntry(_ kind: RosterOp.Kind, key: LaptopKey, first: Int64? = nil) -> RosterOp {
        var entry = RosterOp(kind: kind)
        entry.replica = identity.replica.hex
        entry.name = identity.operatorName
        entry.sign = key.signingPublicKey.hexString
        entry.agree = key.agreementPublicKey.hexString
        entry.first = first
        return entry
    }

    /// A store from an earlier release has no key pair: it makes one and enters the roster of
    /// its (open) team as editor, or as admin when it wrote the team's first change.
    func enterRosterAfterUpgrade() throws {
        guard identity.laptopKey == nil, identity.team != nil else { return }
        try database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('laptop_key', ?)", arguments: [LaptopKey.generate().stored])
        }
        identity = try database.read { db in try Store.readIdentity(db) }
        do {
            try enterRoster()
        } catch let refusal as RosterError {
            notify("this laptop could not enter the team's roster: \(refusal)")
        }
    }

    /// Enters this laptop into the roster with a claim, unless it is there already.
    func enterRoster() throws {
        guard let key = identity.laptopKey, let team = identity.team else { return }
        let replica = identity.replica
        let (roster, first) = try database.read { db in
            (try Store.roster(db, team: team.id),
             try Int64.fetchOne(db, sql: """
                 SELECT c.hlc FROM change c JOIN replica p ON p.rowid = c.replica WHERE p.id = ? AND c.seq = 1
                 """, arguments: [Data(replica.bytes)]))
        }
        guard roster.entries[replica] == nil else { return }
        if roster.isLocked { throw RosterError.notInRoster }
        try write(recordingCommand: false) { tx in
            try writeRoster([selfEntry(.claim, key: key, first: first)], in: tx)
        }
    }
}

/// What the roster says of one change in the log, for `qun history`.
public enum Authorship: Sendable, Equatable {
    /// Signed by its author's laptop key, checked when it arrived (or written here).
    case verified
    /// Written before its author had a key (an earlier release), or by a laptop of an open
    /// team the roster does not know.
    case unsigned
    /// Kept in the log but not counted (`Roster.Void`).
    case void(String)
}

extension Store {
    /// The authorship of each of `changes` (changes in this store's log).
    public func authorship(of changes: [Change]) throws -> [ChangeID: Authorship] {
        let roster = try roster()
        return try database.read { db in
            let void = try db.cachedStatement(sql: """
                SELECT v.reason FROM void_change v JOIN replica p ON p.rowid = v.replica WHERE p.id = ? AND v.seq = ?
                """)
            var result: [ChangeID: Authorship] = [:]
            for change in changes {
                if let reason = try String.fetchOne(void, arguments: [Data(change.id.replica.bytes), change.id.seq]) {
                    result[change.id] = .void(reason)
                } else if let entry = roster.entries[change.id.replica], change.id.seq >= entry.signedFrom {
                    result[change.id] = .verified
                } else {
                    result[change.id] = .unsigned
                }
            }
            return result
        }
    }
}
