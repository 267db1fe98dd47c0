import Crypto
import Foundation
import GRDB
import QunCore

/// A teammate as `qun team list` shows it.
public struct Teammate: Sendable, Equatable {
    public var entry: Roster.Entry
    /// The operator name of the admin who entered it; nil for a laptop that entered itself.
    public var addedBy: String?
    /// Who removed it, if removed.
    public var removedBy: String?
    /// The time of its latest change this laptop holds (HLC milliseconds).
    public var lastSeen: Int64?
    public var isSelf: Bool
}

/// Why an invite is refused where it is redeemed.
public enum InviteRefusal: Error, Equatable, CustomStringConvertible {
    case unknown
    case used
    case expired
    case notAdmin

    public var description: String {
        switch self {
        case .unknown: return "this invite was not issued by the laptop it was sent to: ask the admin who made it for a new one"
        case .used: return "this invite was already used: an invite admits one laptop; ask an admin for a new one (`qun team invite`)"
        case .expired: return "this invite has expired: ask an admin for a new one (`qun team invite`)"
        case .notAdmin: return "the laptop that issued this invite is no longer an admin: ask an admin for a new invite"
        }
    }
}

/// What `team remove` did.
public struct Removal: Sendable, Equatable {
    public var removed: Roster.Entry
    /// The key epoch started for the remaining teammates.
    public var epoch: UInt32
    public var tasksMoved: Int
    public var membersMoved: Int
}

extension Store {
    /// The roster for `team list`: every laptop ever entered, in the order they entered.
    public func teammates() throws -> [Teammate] {
        let roster = try roster()
        return try database.read { db in
            try roster.entries.values.sorted { $0.addedAt < $1.addedAt }.map { entry in
                let last = try Int64.fetchOne(db, sql: """
                    SELECT max(c.hlc) FROM change c JOIN replica p ON p.rowid = c.replica WHERE p.id = ?
                    """, arguments: [Data(entry.replica.bytes)])
                return Teammate(
                    entry: entry, addedBy: entry.addedBy.map { roster.entries[$0]?.name ?? $0.hex },
                    removedBy: entry.removal.map { roster.entries[$0.by]?.name ?? $0.by.hex },
                    lastSeen: last.map { HLC(rawValue: $0).milliseconds }, isSelf: entry.replica == identity.replica)
            }
        }
    }

    /// The teammate named by operator name or a replica id prefix.
    public func teammate(_ text: String, in roster: Roster, includeRemoved: Bool = false) throws -> Roster.Entry {
        let candidates = roster.entries.values.filter { includeRemoved || $0.removal == nil }
        let wanted = text.trimmingCharacters(in: .whitespaces)
        let byName = candidates.filter { $0.name == wanted }
        if byName.count == 1 { return byName[0] }
        let pool = byName.isEmpty ? candidates.filter { wanted.count >= 4 && $0.replica.hex.hasPrefix(wanted.lowercased()) } : byName
        if pool.count == 1 { return pool[0] }
        if pool.isEmpty { throw RosterError.noSuchTeammate(wanted) }
        throw RosterError.ambiguousTeammate(wanted, pool.map { "\($0.name) \($0.replica.hex.prefix(8))" }.sorted())
    }

    private func requireAdmin(_ roster: Roster, _ operation: String) throws {
        guard let entry = roster.entries[identity.replica], entry.removal == nil, entry.role == .admin else {
            throw RosterError.notAdmin(operation: operation)
        }
    }

    // MARK: Invites

    /// Issues a single-use invite for `role`, valid for `lifetime` milliseconds, and returns
    /// its token: 32 random bytes, of which this store keeps only the hash.
    public func createInvite(role: TeamRole, lifetime: Int64) throws -> [UInt8] {
        try requireAdmin(try roster(), "invite a teammate")
        var rng = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let now = now()
        try database.write { db in
            try db.execute(sql: "INSERT INTO invite(token_hash, role, created, expires) VALUES (?, ?, ?, ?)",
                           arguments: [Data(SHA256.hash(data: token)), role.rawValue, now, now + lifetime])
        }
        return token
    }

    /// Whether this laptop issued the invite with `token` (used or not): what a join request
    /// is authenticated against.
    public func issuedInvite(_ token: [UInt8]) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM invite WHERE token_hash = ?)",
                              arguments: [Data(SHA256.hash(data: token))]) ?? false
        }
    }

    /// Redeems an invite: enters the joining laptop into the roster with the invite's role,
    /// signed by this admin, and marks the invite used, in one transaction. An invite is
    /// redeemed once, before it expires, at the laptop that issued it.
    public func redeemInvite(_ token: [UInt8], replica: ReplicaID, name: String, signingKey: [UInt8], agreementKey: [UInt8]) throws -> TeamRole {
        try redeem(hash: Data(SHA256.hash(data: token)), replica: replica, name: name, signingKey: signingKey, agreementKey: agreementKey)
    }

    private func redeem(hash: Data, replica: ReplicaID, name: String, signingKey: [UInt8], agreementKey: [UInt8]) throws -> TeamRole {
        let now = now()
        return try write(recordingCommand: false) { tx in
            guard let row = try Row.fetchOne(tx.db, sql: "SELECT role, expires, used_by FROM invite WHERE token_hash = ?", arguments: [hash]) else {
                throw InviteRefusal.unknown
            }
            if let usedBy: Data = row["used_by"] {
                // The same laptop asking again (its answer was lost) gets the same answer.
                guard usedBy == Data(replica.bytes) else { throw InviteRefusal.used }
                let roster = try Store.roster(tx.db, team: identity.team!.id)
                return roster.entries[replica]?.role ?? .editor
            }
            guard now <= row["expires"] as Int64 else { throw InviteRefusal.expired }
            let roster = try Store.roster(tx.db, team: identity.team!.id)
            guard roster.entries[identity.replica].map({ $0.removal == nil && $0.role == .admin }) == true else {
                throw InviteRefusal.notAdmin
            }
            let role = TeamRole(rawValue: row["role"]) ?? .editor
            var add = RosterOp(kind: .add)
            add.replica = replica.hex
            add.name = name
            add.sign = signingKey.hexString
            add.agree = agreementKey.hexString
            add.role = role
            try writeRoster([add], in: tx)
            try tx.db.execute(sql: "UPDATE invite SET used_by = ?, used_at = ? WHERE token_hash = ?",
                              arguments: [Data(replica.bytes), now, hash])
            return role
        }
    }

    // MARK: Roles, lock, removal

    /// Changes a teammate's role.
    public func setRole(of text: String, to role: TeamRole) throws -> Roster.Entry {
        let roster = try roster()
        try requireAdmin(roster, "change a role")
        let entry = try teammate(text, in: roster)
        if entry.role == .admin && role != .admin && roster.active.filter({ $0.role == .admin }).count == 1 {
            throw RosterError.lastAdmin
        }
        var op = RosterOp(kind: .role)
        op.replica = entry.replica.hex
        op.role = role
        try write(recordingCommand: false) { tx in try writeRoster([op], in: tx) }
        return try self.roster().entries[entry.replica]!
    }

    /// Closes an open team: from now on only invited laptops are entered, and the team secret
    /// no longer authenticates a request. Returns false when it was locked already.
    @discardableResult
    public func lockTeam() throws -> Bool {
        let roster = try roster()
        try requireAdmin(roster, "lock the team")
        if roster.isLocked { return false }
        try write(recordingCommand: false) { tx in try writeRoster([RosterOp(kind: .lock)], in: tx) }
        return true
    }

    /// Removes a teammate for good: revokes its laptop, locks the team if it was open, and
    /// starts a key epoch whose key is sealed to each remaining teammate. With `handover`, the
    /// leaver's open tasks (assignee) and the members its member record looks after (KOL) go
    /// to that teammate (离职继承), in the same command.
    public func removeTeammate(_ text: String, handover: String? = nil) throws -> Removal {
        let roster = try roster()
        try requireAdmin(roster, "remove a teammate")
        let leaver = try teammate(text, in: roster)
        let heir = try handover.map { try teammate($0, in: roster) }
        if heir?.replica == leaver.replica { throw RosterError.noSuchTeammate(handover!) }
        let remaining = roster.active.filter { $0.replica != leaver.replica }
        if !remaining.contains(where: { $0.role == .admin }) { throw RosterError.lastAdmin }
        guard let team = identity.team else { throw RosterError.noTeam }

        var rng = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let epoch = max(roster.currentEpoch, try epochKeys().keys.max() ?? 1) + 1
        var grants: [KeyGrant] = []
        for entry in remaining {
            grants.append(try KeyGrant.seal(key, purpose: "epoch \(epoch)", team: team.id, to: entry.replica, agreementKey: entry.agreementKey))
        }
        return try write { tx in
            var revoke = RosterOp(kind: .revoke)
            revoke.replica = leaver.replica.hex
            revoke.seen = try Int64.fetchOne(tx.db, sql: "SELECT contiguous FROM replica WHERE id = ?", arguments: [Data(leaver.replica.bytes)]) ?? 0
            var operations = [revoke]
            if !roster.isLocked { operations.append(RosterOp(kind: .lock)) }
            var start = RosterOp(kind: .epoch)
            start.epoch = epoch
            start.grants = grants
            operations.append(start)
            try writeRoster(operations, in: tx)
            try tx.db.execute(sql: "INSERT OR REPLACE INTO team_key(epoch, key) VALUES (?, ?)", arguments: [epoch, Data(key)])
            var moved = (tasks: 0, members: 0)
            if let heir { moved = try tx.hand(from: leaver.name, to: heir.name) }
            return Removal(removed: leaver, epoch: epoch, tasksMoved: moved.tasks, membersMoved: moved.members)
        }
    }
}

extension WriteTransaction {
    /// 离职继承: the open tasks assigned to `leaver` and the members whose KOL is `leaver`'s
    /// member record go to `heir` (its member record, found by the operator name).
    func hand(from leaver: String, to heir: String) throws -> (tasks: Int, members: Int) {
        let tasks = try String.fetchAll(db, sql: """
            SELECT r.uid FROM field_value fv JOIN record r ON r.rowid = fv.record
            JOIN name c ON c.rowid = r.collection JOIN name f ON f.rowid = fv.field
            LEFT JOIN task t ON t.record = r.rowid
            WHERE c.text = ? AND f.text = 'assignee' AND fv.value = ? AND r.deleted = 0
              AND coalesce(t.status, 'todo') NOT IN ('done', 'dropped')
            ORDER BY r.uid
            """, arguments: [String.taskCollection, leaver])
        for task in tasks { try set(.taskCollection, task, "assignee", .text(heir)) }

        func memberRecord(_ name: String) throws -> [String] {
            try String.fetchAll(db, sql: "SELECT uid FROM member WHERE name = ? AND deleted = 0", arguments: [name])
        }
        var members = 0
        let leaverRecords = try memberRecord(leaver)
        if leaverRecords.count == 1 {
            let looked = try String.fetchAll(db, sql: "SELECT uid FROM member WHERE kol = ? AND deleted = 0 ORDER BY uid", arguments: [leaverRecords[0]])
            if !looked.isEmpty {
                let heirRecords = try memberRecord(heir)
                guard heirRecords.count == 1 else {
                    throw StoreError.missingValue(field: "a member record named \(heir) (a KOL) to look after \(leaver)'s \(looked.count) members")
                }
                for member in looked { try set(.memberCollection, member, "kol", .text(heirRecords[0])) }
                members = looked.count
            }
        }
        return (tasks.count, members)
    }
}

extension Store {
    /// The id an invite is named by on the wire: a hash of its key, so naming it gives
    /// nothing away.
    public static func inviteID(key: [UInt8]) -> String {
        Array(SHA256.hash(data: Array("qun invite id".utf8) + key).prefix(16)).hexString
    }

    /// The keys (`TeamKeys.inviteKey`: the token hash) of the invites this laptop issued, by
    /// invite id. Expired and used ones too: redeeming them says so.
    public func inviteKeys() throws -> [String: [UInt8]] {
        try database.read { db in
            var keys: [String: [UInt8]] = [:]
            for hash in try Data.fetchAll(db, sql: "SELECT token_hash FROM invite") {
                keys[Store.inviteID(key: Array(hash))] = Array(hash)
            }
            return keys
        }
    }

    /// Redeems the invite whose key (token hash) is `key`; see `redeemInvite(_:...)`.
    public func redeemInvite(key: [UInt8], replica: ReplicaID, name: String, signingKey: [UInt8], agreementKey: [UInt8]) throws -> TeamRole {
        try redeem(hash: Data(key), replica: replica, name: name, signingKey: signingKey, agreementKey: agreementKey)
    }
}
