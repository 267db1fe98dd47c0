import Foundation
import GRDB
import QunCore

/// Where a peer's history under one replica id differs from this store's (`HistoryDigest`):
/// a change written under a teammate's id (a forgery), or two stores sharing one id.
public struct HistoryFork: Sendable, Equatable {
    public var replica: ReplicaID
    /// The peer (name or URL) whose history differed.
    public var peer: String
    /// Both held this replica's changes up to here, and they differ somewhere at or below it.
    public var seq: Int64
    /// Milliseconds since 1970 when it was seen.
    public var seenAt: Int64
}

extension Store {
    /// For each replica: its contiguous seq and the history digest up to it, hex.
    public func historyDigests() throws -> [ReplicaID: (seq: Int64, digest: String)] {
        try database.read { db in
            var digests: [ReplicaID: (seq: Int64, digest: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, contiguous, digest FROM replica WHERE contiguous > 0") {
                guard let replica = ReplicaID(bytes: (row["id"] as Data?) ?? Data()), let digest = row["digest"] as Data? else { continue }
                digests[replica] = (row["contiguous"], digest.map { String(format: "%02x", $0) }.joined())
            }
            return digests
        }
    }

    /// The replicas whose history differs between this store and a peer's digests
    /// (`replica hex → "SEQ:DIGEST"`), where both hold the same seq. Each one is recorded for
    /// `qun status`.
    @discardableResult
    public func recordForks(against peerDigests: [String: String], peer: String) throws -> [HistoryFork] {
        let own = try historyDigests()
        let now = now()
        var forks: [HistoryFork] = []
        for (hex, text) in peerDigests {
            let parts = text.split(separator: ":")
            guard let replica = ReplicaID(hex: hex), parts.count == 2, let seq = Int64(parts[0]),
                  let mine = own[replica], mine.seq == seq, mine.digest != parts[1] else { continue }
            forks.append(HistoryFork(replica: replica, peer: peer, seq: seq, seenAt: now))
        }
        guard !forks.isEmpty else { return [] }
        try database.write { db in
            for fork in forks {
                try db.execute(sql: "INSERT OR REPLACE INTO history_fork(replica, peer, seq, seen_at) VALUES (?, ?, ?, ?)",
                               arguments: [Data(fork.replica.bytes), fork.peer, fork.seq, fork.seenAt])
            }
        }
        return forks.sorted { $0.replica.hex < $1.replica.hex }
    }

    /// Every fork seen so far, oldest first.
    public func historyForks() throws -> [HistoryFork] {
        try database.read { db in try Store.historyForks(db) }
    }

    static func historyForks(_ db: Database) throws -> [HistoryFork] {
        try Row.fetchAll(db, sql: "SELECT replica, peer, seq, seen_at FROM history_fork ORDER BY seen_at, peer").compactMap { row in
            guard let replica = ReplicaID(bytes: (row["replica"] as Data?) ?? Data()) else { return nil }
            return HistoryFork(replica: replica, peer: row["peer"], seq: row["seq"], seenAt: row["seen_at"])
        }
    }
}
