import Foundation
import GRDB
import QunCore

/// A teammate's laptop this store syncs with over HTTP.
public struct Peer: Sendable, Equatable {
    public var name: String
    public var url: String
    /// Learned at the first sync.
    public var replica: ReplicaID?
    public var addedAt: Int64
    public var lastSync: Int64?
}

extension Store {
    /// Registers a peer under a short name. Names are unique; adding an existing name fails.
    @discardableResult
    public func addPeer(name: String, url: String) throws -> Peer {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else {
            throw StoreError.invalidValue(field: "peer name", value: name, expected: "one word, e.g. wang-laptop")
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host != nil else {
            throw StoreError.invalidValue(field: "peer URL", value: url, expected: "http://HOST:PORT, as printed by `qun serve`")
        }
        let now = now()
        let peer = Peer(name: trimmed, url: url, replica: nil, addedAt: now, lastSync: nil)
        try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM peer WHERE name = ?", arguments: [trimmed]) == true {
                throw StoreError.alreadyExists(path: "peer \(trimmed)")
            }
            try db.execute(sql: "INSERT INTO peer(name, url, added_at) VALUES (?, ?, ?)", arguments: [trimmed, url, now])
        }
        return peer
    }

    /// Forgets a peer (its changes stay).
    public func removePeer(name: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM peer WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw StoreError.notFound(collection: "peer", reference: name) }
        }
    }

    /// Registered peers, by name.
    public func peers() throws -> [Peer] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peer ORDER BY name").map { row in
                Peer(name: row["name"], url: row["url"],
                     replica: (row["replica_id"] as Data?).flatMap { ReplicaID(bytes: $0) },
                     addedAt: row["added_at"], lastSync: row["last_sync"])
            }
        }
    }

    /// One peer by name.
    public func peer(named name: String) throws -> Peer {
        guard let peer = try peers().first(where: { $0.name == name }) else {
            throw StoreError.notFound(collection: "peer", reference: name)
        }
        return peer
    }

    /// Records a finished sync with a peer: its replica id and when.
    public func recordSync(peer name: String, replica: ReplicaID) throws {
        let now = now()
        try database.write { db in
            try db.execute(sql: "UPDATE peer SET replica_id = ?, last_sync = ? WHERE name = ?",
                           arguments: [Data(replica.bytes), now, name])
        }
    }
}
