import Foundation
import GRDB
import QunCore

extension Store {
    /// Writes a consistent copy of the whole store to `file` (SQLite `VACUUM INTO`), for a
    /// new teammate to start from instead of replaying the log change by change.
    ///
    /// The copy holds the team secret: send it only to an authenticated teammate.
    public func writeSnapshot(to file: URL) throws {
        try? FileManager.default.removeItem(at: file)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [file.path])
        }
        // This laptop's private keys and the invites it issued are its own: gone from the
        // copy, their bytes overwritten.
        let copy = try DatabaseQueue(path: file.path)
        try copy.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "DELETE FROM meta WHERE key = 'laptop_key'")
            try db.execute(sql: "DELETE FROM invite")
        }
        try copy.close()
    }

    /// Creates a store in `directory` from a snapshot written by `writeSnapshot(to:)`.
    ///
    /// The new store keeps every change and the team, but gets its own replica id, operator
    /// name and member-number range, and forgets what the sender knew of its peers.
    ///
    /// - Parameter laptop: the replica id and key pair an admin entered into the roster when
    ///   this laptop redeemed its invite; nil for a laptop of an open team, which makes its
    ///   own and enters itself.
    public static func create(
        fromSnapshot snapshot: URL, at directory: URL, operatorName: String, expectedTeam: ReplicaID? = nil,
        laptop: (replica: ReplicaID, key: LaptopKey)? = nil,
        now: @escaping @Sendable () -> Int64 = Store.systemClock
    ) throws -> Store {
        let name = operatorName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.missingValue(field: "operator name") }
        let file = directory.appendingPathComponent(databaseFileName)
        if FileManager.default.fileExists(atPath: file.path) { throw StoreError.alreadyExists(path: directory.path) }
        try StoreFiles.makeDirectory(directory)
        do {
            try FileManager.default.copyItem(at: snapshot, to: file)
            StoreFiles.protect(directory)
            let pool = try DatabasePool(path: file.path, configuration: configuration())
            StoreFiles.protect(directory)
            try Migrations.run(on: pool)
            let integrity = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            guard integrity == "ok" else { throw StoreError.invalidChange("the snapshot is damaged (\(integrity ?? "?"))") }
            let source = try pool.read { db in try Store.readIdentity(db) }
            if let expectedTeam, source.team?.id != expectedTeam {
                throw StoreError.invalidChange("the snapshot belongs to another team")
            }
            let replica = laptop?.replica ?? ReplicaID.random()
            let key = laptop?.key ?? LaptopKey.generate()
            let home = try Store.home(of: directory)
            try pool.write { db in
                for (key, value) in [("replica_id", replica.hex), ("operator", name), ("home", home), ("number_counter", "0"),
                                     ("laptop_key", key.stored)] {
                    try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
                }
                try db.execute(sql: "DELETE FROM peer_knowledge")
                try db.execute(sql: "DELETE FROM peer")
            }
            let store = Store(directory: directory, database: pool,
                              identity: Identity(replica: replica, operatorName: name, team: source.team, laptopKey: key), now: now)
            try store.enterRoster()
            do {
                try store.announceOperator()
            } catch RosterError.viewer {
                // A viewer writes nothing, not even its name: the roster has it.
            }
            return store
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }
}
