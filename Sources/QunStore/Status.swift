import Foundation
import GRDB
import QunCore

/// What `qun status` reports about a store.
public struct StoreStatus: Sendable {
    public var replica: ReplicaID
    public var operatorName: String
    public var team: ReplicaID?
    public var schemaVersion: Int
    public var members: Int
    public var deletedMembers: Int
    public var changes: Int
    public var vector: VersionVector
    /// Held (clock-skewed) changes per origin replica: count and how far ahead the latest is.
    public var held: [ReplicaID: (count: Int, aheadMilliseconds: Int64)]
    /// Per known peer replica: how many changes this store holds that the peer is not known
    /// to have.
    public var pendingForPeers: [ReplicaID: Int64]
    /// Histories under one id that differed from a peer's (`HistoryFork`).
    public var forks: [HistoryFork] = []
}

extension Store {
    /// The schema version of the open database (`PRAGMA user_version`): cheap, unlike
    /// `status()`, which counts rows.
    public func schemaVersion() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// Counts and identity for `qun status`. Counting scans the change log: not for hot
    /// paths (use `versionVector()` and `schemaVersion()` there).
    public func status() throws -> StoreStatus {
        let now = now()
        let identity = identity
        return try database.read { db in
            let vector = try Store.versionVector(db)
            var held: [ReplicaID: (count: Int, aheadMilliseconds: Int64)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica_id, count(*), max(hlc) FROM held_change GROUP BY replica_id") {
                let replica: ReplicaID = try row.required(0, of: "held_change")
                held[replica] = (row[1], try row.required(2, of: "held_change", as: HLC.self).milliseconds - now)
            }
            var pending: [ReplicaID: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica_id, vector FROM peer_knowledge") {
                let peer: ReplicaID = try row.required(0, of: "peer_knowledge")
                let known = VersionVector(parsing: row[1]) ?? VersionVector()
                pending[peer] = vector.entries.reduce(0) { $0 + max(0, $1.value - known[$1.key]) }
            }
            return StoreStatus(
                replica: identity.replica, operatorName: identity.operatorName, team: identity.team?.id,
                schemaVersion: try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                members: try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE deleted = 0") ?? 0,
                deletedMembers: try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE deleted = 1") ?? 0,
                changes: try Int.fetchOne(db, sql: "SELECT count(*) FROM change") ?? 0,
                vector: vector, held: held, pendingForPeers: pending,
                forks: try Store.historyForks(db))
        }
    }

    /// Remembers what a peer replica held when it last sent us something, so that
    /// `bundle export --for` can write only what it lacks. Knowledge only grows.
    public func recordPeerKnowledge(_ peer: ReplicaID, vector: VersionVector) throws {
        guard peer != identity.replica else { return }
        let now = now()
        try database.write { db in
            let old = try String.fetchOne(db, sql: "SELECT vector FROM peer_knowledge WHERE replica_id = ?", arguments: [Data(peer.bytes)])
                .flatMap(VersionVector.init(parsing:)) ?? VersionVector()
            try db.execute(sql: "INSERT OR REPLACE INTO peer_knowledge(replica_id, vector, seen_at) VALUES (?, ?, ?)",
                           arguments: [Data(peer.bytes), old.merged(with: vector).description, now])
        }
    }

    /// What a peer replica is known to hold, or nil if it never sent anything.
    public func peerKnowledge(_ peer: ReplicaID) throws -> VersionVector? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT vector FROM peer_knowledge WHERE replica_id = ?", arguments: [Data(peer.bytes)])
                .flatMap(VersionVector.init(parsing:))
        }
    }
}
