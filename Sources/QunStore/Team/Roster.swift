import QunCore

/// The team roster: who is in the team, with which keys and role, and who was removed,
/// folded from every roster operation in the log.
///
/// The fold is a function of the set of operations only (they are sorted by stamp first), so
/// laptops that hold the same operations agree on the roster whatever order they arrived in.
/// The rules, in stamp order:
///
/// - `found` counts when its author's signing key hashes to the team id
///   (`LaptopKey.teamID(foundedBy:)`): the founder of a team is its first admin.
/// - In a team from an earlier release there is no such `found`; every laptop enters itself
///   with a `claim`. The claim with the earliest first change names the founder, who is
///   admin; the others are editors. A claim counts only while the team is open: before the
///   first `lock`.
/// - `add`, `role`, `lock` and `epoch` count when their author is an admin at their stamp,
///   not removed by then. So what an admin does after its removal is void, even if it had not
///   heard of the removal yet.
/// - `revoke` counts when its author was an admin in the roster of the operations it had
///   seen (its `vector`). Two admins who remove each other concurrently are both removed;
///   an admin who had seen its own removal removes no one.
/// - A removal is permanent: a removed laptop cannot be added again or change role.
/// - The first operation that enters a laptop wins; the first `epoch` of a number wins.
public struct Roster: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var replica: ReplicaID
        public var name: String
        public var signingKey: [UInt8]
        public var agreementKey: [UInt8]
        /// Roles in stamp order; the first is the role it entered with.
        public var roles: [RoleChange]
        /// The admin who entered it; nil for a laptop that entered itself.
        public var addedBy: ReplicaID?
        public var addedAt: Stamp
        public var removal: Removal?
        /// Its changes from this seq on are signed; earlier ones were written before it had
        /// a key (a store from an earlier release) and are kept as they are.
        public var signedFrom: Int64

        public var role: TeamRole { roles.last!.role }

        /// The role at `stamp`: the last change at or before it, else the first role.
        public func role(at stamp: Stamp) -> TeamRole {
            roles.last { $0.stamp <= stamp }?.role ?? roles[0].role
        }
    }

    public struct RoleChange: Sendable, Equatable {
        public var stamp: Stamp
        public var role: TeamRole
    }

    public struct Removal: Sendable, Equatable {
        public var stamp: Stamp
        public var by: ReplicaID
        /// The removed laptop's highest seq the remover held: those changes stay, whatever
        /// their clock says.
        public var seen: Int64
    }

    /// A key epoch: number, when and by whom, and the key sealed to each teammate.
    public struct Epoch: Sendable, Equatable {
        public var number: UInt32
        public var stamp: Stamp
        public var by: ReplicaID
        public var grants: [KeyGrant]
    }

    /// Why a change does not count.
    public enum Void: String, Sendable, Equatable {
        /// Written after its author was removed from the team.
        case removed
        /// Written while its author was a viewer.
        case viewer
        /// Written by a laptop the roster does not know, after the team was locked.
        case stranger
    }

    public let team: ReplicaID
    public private(set) var entries: [ReplicaID: Entry] = [:]
    /// The stamp of the first lock; nil while the team is open.
    public private(set) var lockedAt: Stamp?
    public private(set) var epochs: [UInt32: Epoch] = [:]
    /// Operations that did not count, and why (for `team list` and tests).
    public private(set) var voided: [ChangeID: String] = [:]
    /// How many operations the fold took, counting those it took again to judge revokes by
    /// the roster their authors had seen: the fold's cost, for tests.
    public private(set) var operationsTaken = 0

    public init(team: ReplicaID) { self.team = team }

    public var isLocked: Bool { lockedAt != nil }

    /// Laptops in the team now: entered and not removed.
    public var active: [Entry] {
        entries.values.filter { $0.removal == nil }.sorted { $0.addedAt < $1.addedAt }
    }

    public var currentEpoch: UInt32 { epochs.keys.max() ?? 1 }

    /// Whether a change by `replica` stamped `stamp` with `seq` counts; nil when it does.
    public func void(replica: ReplicaID, seq: Int64, stamp: Stamp) -> Void? {
        guard let entry = entries[replica] else {
            if let lockedAt, stamp > lockedAt { return .stranger }
            return nil
        }
        if seq < entry.signedFrom { return nil }
        if let removal = entry.removal, stamp > removal.stamp, seq > removal.seen { return .removed }
        if entry.role(at: stamp) == .viewer { return .viewer }
        return nil
    }

    /// Whether `replica` is an admin at `stamp`: entered, admin then, not removed before.
    public func isAdmin(_ replica: ReplicaID, at stamp: Stamp) -> Bool {
        guard let entry = entries[replica] else { return false }
        if let removal = entry.removal, removal.stamp < stamp { return false }
        return entry.role(at: stamp) == .admin
    }

    /// Folds `operations` (any order, duplicates allowed) into the roster of `team`.
    public static func fold(_ operations: [LoggedRosterOp], team: ReplicaID) -> Roster {
        var unique: [ChangeID: LoggedRosterOp] = [:]
        for operation in operations { unique[operation.id] = operation }
        let sorted = unique.values.sorted { ($0.stamp, $0.id) < ($1.stamp, $1.id) }
        var judged: [ChangeID: Bool] = [:]
        return fold(sorted: sorted, team: team, judged: &judged)
    }

    /// `judged` holds, for each revoke already folded, whether its author was an admin in the
    /// roster it had seen. Revokes are met in stamp order and each one's past holds only
    /// earlier operations, so every revoke inside a past was judged already: the fold of a
    /// past never folds another past. (Without this, each removal doubles the time the fold
    /// takes, and every write and every received batch folds the roster.)
    private static func fold(sorted: [LoggedRosterOp], team: ReplicaID, judged: inout [ChangeID: Bool]) -> Roster {
        var roster = Roster(team: team)
        let founded = sorted.contains { isFounding($0, team: team) }
        // In a team from an earlier release, the founder is the claimant that wrote first,
        // among the claims made before the team was first locked.
        let firstLock = sorted.first { $0.op.kind == .lock }?.stamp
        let legacyFounder = founded ? nil : sorted.filter { logged in
            logged.op.kind == .claim && logged.op.replica == logged.id.replica.hex && (firstLock.map { logged.stamp < $0 } ?? true)
        }
            .min { ($0.op.first ?? .max, $0.stamp, $0.id) < ($1.op.first ?? .max, $1.stamp, $1.id) }?.id
        for (index, logged) in sorted.enumerated() {
            if let reason = roster.take(logged, legacyFounder: legacyFounder, before: sorted[..<index], judged: &judged) {
                roster.voided[logged.id] = reason
            }
        }
        roster.operationsTaken += sorted.count
        return roster
    }

    private static func isFounding(_ logged: LoggedRosterOp, team: ReplicaID) -> Bool {
        guard logged.op.kind == .found, logged.op.replica == logged.id.replica.hex,
              let sign = logged.op.sign.map(Store.bytes(hex:)), sign.count == 32 else { return false }
        return LaptopKey.teamID(foundedBy: sign) == team.bytes
    }

    /// Applies one operation; the reason it does not count, if it does not.
    private mutating func take(_ logged: LoggedRosterOp, legacyFounder: ChangeID?, before: ArraySlice<LoggedRosterOp>,
                               judged: inout [ChangeID: Bool]) -> String? {
        let op = logged.op
        let author = logged.id.replica
        let target = op.replica.flatMap(ReplicaID.init(hex:))
        switch op.kind {
        case .found, .claim:
            guard target == author else { return "enters another laptop than its author" }
            if op.kind == .found {
                guard Roster.isFounding(logged, team: team) else { return "its key is not the team's founding key" }
            } else if let lockedAt, lockedAt < logged.stamp {
                return "the team was locked"
            }
            guard entries[author] == nil else { return "already in the roster" }
            let role: TeamRole = op.kind == .found || logged.id == legacyFounder ? .admin : .editor
            return enter(author, op, role: role, by: nil, logged, signedFrom: logged.blockFirst)
        case .add:
            guard isAdmin(author, at: logged.stamp) else { return "its author is not an admin" }
            guard let target else { return "names no laptop" }
            if entries[target] != nil { return entries[target]!.removal == nil ? "already in the roster" : "removed for good" }
            return enter(target, op, role: op.role ?? .editor, by: author, logged, signedFrom: 1)
        case .role:
            guard isAdmin(author, at: logged.stamp) else { return "its author is not an admin" }
            guard let target, let role = op.role, var entry = entries[target] else { return "names no teammate" }
            guard entry.removal == nil else { return "removed for good" }
            entry.roles.append(RoleChange(stamp: logged.stamp, role: role))
            entries[target] = entry
        case .lock:
            guard isAdmin(author, at: logged.stamp) else { return "its author is not an admin" }
            if lockedAt == nil { lockedAt = logged.stamp }
        case .epoch:
            guard isAdmin(author, at: logged.stamp) else { return "its author is not an admin" }
            guard let number = op.epoch, number >= 2 else { return "names no key epoch" }
            guard epochs[number] == nil else { return "epoch \(number) already started" }
            epochs[number] = Epoch(number: number, stamp: logged.stamp, by: author, grants: op.grants ?? [])
        case .grant:
            guard isAdmin(author, at: logged.stamp) else { return "its author is not an admin" }
            guard let number = op.epoch, var epoch = epochs[number] else { return "names no key epoch" }
            for grant in op.grants ?? [] where !epoch.grants.contains(where: { $0.replica == grant.replica }) {
                epoch.grants.append(grant)
            }
            epochs[number] = epoch
        case .revoke:
            // Judged by what its author had seen: a concurrent removal of the author does not
            // void it, so two admins removing each other are both removed.
            let wasAdmin: Bool
            if let known = judged[logged.id] {
                wasAdmin = known
            } else {
                // Two spellings of one replica (hex case) must not crash the fold: keep the higher.
                let vector = VersionVector(Dictionary((op.vector ?? [:]).compactMap { key, value in
                    ReplicaID(hex: key).map { ($0, value) }
                }, uniquingKeysWith: max))
                let past = Roster.fold(sorted: Array(before.filter { vector.contains($0.id) }), team: team, judged: &judged)
                wasAdmin = past.isAdmin(author, at: logged.stamp)
                operationsTaken += past.operationsTaken
                judged[logged.id] = wasAdmin
            }
            guard wasAdmin else { return "its author was not an admin in the roster it had seen" }
            guard let target, var entry = entries[target] else { return "names no teammate" }
            if entry.removal == nil {
                entry.removal = Removal(stamp: logged.stamp, by: author, seen: op.seen ?? 0)
                entries[target] = entry
            }
        }
        return nil
    }

    private mutating func enter(_ replica: ReplicaID, _ op: RosterOp, role: TeamRole, by: ReplicaID?,
                                _ logged: LoggedRosterOp, signedFrom: Int64) -> String? {
        guard let sign = op.sign.map(Store.bytes(hex:)), sign.count == 32,
              let agree = op.agree.map(Store.bytes(hex:)), agree.count == 32 else { return "has no valid keys" }
        entries[replica] = Entry(
            replica: replica, name: op.name ?? "", signingKey: sign, agreementKey: agree,
            roles: [RoleChange(stamp: logged.stamp, role: role)], addedBy: by, addedAt: logged.stamp,
            removal: nil, signedFrom: signedFrom)
        return nil
    }
}
