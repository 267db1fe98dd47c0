import Foundation
import GRDB
import QunCore

/// What applying a batch of remote changes did.
public struct ApplyReport: Sendable, Equatable {
    /// Changes in the batch.
    public var received = 0
    /// Changes new to this store, now applied.
    public var applied = 0
    /// Changes this store already had (a batch may be delivered twice).
    public var duplicates = 0
    /// Changes stamped too far ahead of this laptop's clock: held, not applied.
    public var held = 0
    /// Previously held changes whose time has come, applied now.
    public var released = 0
    /// For each origin replica with held changes: how far ahead its latest held change is,
    /// in milliseconds.
    public var heldAhead: [ReplicaID: Int64] = [:]
    /// What the roster made of the batch: refused signatures, changes that do not count.
    public var authorship = AuthorshipReport()

    public init() {}
}

/// A change kept back by the clock-skew guard.
public struct HeldChange: Sendable, Equatable {
    public var change: Change
    /// How far ahead of this laptop's clock it was stamped, as of now.
    public var aheadMilliseconds: Int64
}

extension Store {
    /// Applies changes received from a peer (bundle or sync) in one transaction: all or
    /// nothing. Changes stamped more than `skewPolicy` ahead of this laptop's clock are held
    /// back and reported, unless `acceptSkew` says the operator has decided to take them.
    @discardableResult
    public func apply(_ changes: [Change], acceptSkew: Bool = false) throws -> ApplyReport {
        let policy = skewPolicy
        return try write { tx in
            try tx.applyRemote(changes, policy: acceptSkew ? nil : policy)
        }
    }

    /// Changes held back by the clock-skew guard, oldest first.
    public func heldChanges() throws -> [HeldChange] {
        let now = now()
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM held_change ORDER BY hlc, replica_id, seq").map { row in
                let change = try Change(row: row, table: "held_change")
                return HeldChange(change: change, aheadMilliseconds: change.hlc.milliseconds - now)
            }
        }
    }

    /// Applies every held change now, whatever its clock says: the operator's decision.
    @discardableResult
    public func acceptHeldChanges() throws -> ApplyReport {
        try write { tx in try tx.applyRemote([], policy: nil) }
    }
}

extension WriteTransaction {
    func applyRemote(_ changes: [Change], policy: ClockSkewPolicy?) throws -> ApplyReport {
        var report = ApplyReport()
        report.received = changes.count
        let team = identity?.team?.id
        let rosterBefore = try team.map { try Store.roster(db, team: $0) }
        let (checked, voids) = try checkAuthorship(changes, report: &report.authorship)
        var applicable: [Change] = []
        applicable.reserveCapacity(changes.count)

        // First the held changes that may go in now (clock caught up, or accepted).
        let limit = policy.map { nowMilliseconds + $0.maximumAheadMilliseconds } ?? Int64.max >> 16
        let ready = try Row.fetchAll(db, sql: "SELECT * FROM held_change WHERE hlc <= ?",
                                     arguments: [HLC(milliseconds: limit, counter: HLC.maxCounter).rawValue])
        for row in ready { applicable.append(try Change(row: row, table: "held_change")) }
        if !ready.isEmpty {
            try db.execute(sql: "DELETE FROM held_change WHERE hlc <= ?",
                           arguments: [HLC(milliseconds: limit, counter: HLC.maxCounter).rawValue])
        }
        // Apply them first and on their own, so the report counts them once, as released.
        if !applicable.isEmpty {
            let before = applier.applied
            var released: [ChangeID: Roster.Void] = [:]
            for change in applicable where !change.operation.isInert {
                released[change.id] = rosterBefore?.void(replica: change.id.replica, seq: change.id.seq, stamp: change.stamp)
            }
            try applier.apply(applicable, local: false, voids: released, in: self)
            report.released = applier.applied - before
            applicable.removeAll(keepingCapacity: true)
        }

        let known = try db.cachedStatement(sql: """
            SELECT 1 FROM change JOIN replica ON replica.rowid = change.replica WHERE replica.id = ? AND change.seq = ?
            """)
        let hold = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO held_change(replica_id, seq, hlc, collection, record, field, op, payload, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for change in checked {
            try Applier.check(change)
            // A change under this store's own id is never held: it is either a duplicate or a
            // replica-id clash, and the apply path says which.
            if let policy, change.id.replica != replica, let ahead = policy.excess(of: change.hlc, now: nowMilliseconds),
               try !isInLog(change.id, known) {
                try hold.execute(arguments: [
                    Data(change.id.replica.bytes), change.id.seq, change.hlc.rawValue, change.collection,
                    change.record, change.field, Int64(change.operation.code), Data(change.operation.payload),
                    nowMilliseconds,
                ])
                report.held += 1
                report.heldAhead[change.id.replica] = max(report.heldAhead[change.id.replica] ?? 0, ahead)
            } else {
                applicable.append(change)
            }
        }
        let before = (applier.applied, applier.duplicates)
        try applier.apply(applicable, local: false, voids: voids, in: self)
        report.applied = applier.applied - before.0
        report.duplicates = applier.duplicates - before.1
        if let team, let rosterBefore {
            let rosterAfter = try Store.roster(db, team: team)
            if rosterAfter != rosterBefore {
                report.authorship.rosterChanged = true
                try recount(from: rosterBefore, to: rosterAfter, report: &report.authorship)
                if let identity {
                    try Store.installGrants(rosterAfter, db: db, identity: identity)
                    try grantMissingKeys(rosterAfter)
                }
            }
        }
        return report
    }

    /// Whether the log already has the change: an accepted change sent again is a
    /// duplicate, not something to hold.
    private func isInLog(_ id: ChangeID, _ statement: Statement) throws -> Bool {
        try Bool.fetchOne(statement, arguments: [Data(id.replica.bytes), id.seq]) ?? false
    }
}
