import Foundation
import GRDB
import GRDBSQLite
import QunCore
import QunSchema

/// A qun store: a directory holding `store.sqlite`, the change log and the tables derived
/// from it.
///
/// Every user command and every received batch is one write transaction (`BEGIN IMMEDIATE`,
/// so two processes writing one store take turns rather than fail), which makes it the unit
/// of atomicity: a crash leaves either all of a batch or none of it.
public final class Store: Sendable {
    public static let databaseFileName = "store.sqlite"

    /// The directory the store lives in.
    public let directory: URL
    /// The SQLite connection pool (WAL). Open to the package's modules (tools and tests) but
    /// not to outside users: writes to derived tables outside the store's own methods would
    /// break convergence.
    package let database: DatabasePool
    /// Milliseconds since 1970, the wall clock behind the HLC. Injectable for tests of skew.
    public let now: @Sendable () -> Int64
    /// The settings below, behind one lock: one `Store` serves many tasks at once.
    let settings: LockedBox<Settings>

    /// Which remote changes are too far in the future to apply.
    public var skewPolicy: ClockSkewPolicy {
        get { settings.current.skewPolicy }
        set { settings.withLock { $0.skewPolicy = newValue } }
    }
    /// This replica's identity, read at open.
    public internal(set) var identity: Identity {
        get { settings.current.identity }
        set { settings.withLock { $0.identity = newValue } }
    }
    /// Things the operator should be told about opening, e.g. that a copied store took a new
    /// replica id.
    public internal(set) var notices: [String] {
        get { settings.current.notices }
        set { settings.withLock { $0.notices = newValue } }
    }
    /// Opened without write access (read-only media, another user's files): reads work,
    /// every write fails with `StorageFault`'s read-only sentence.
    public private(set) var isReadOnly: Bool {
        get { settings.current.isReadOnly }
        set { settings.withLock { $0.isReadOnly = newValue } }
    }
    /// What the operator asked for, recorded with the local changes of each write so that
    /// `undo` can say what it reversed (the CLI sets it to the command line).
    public var commandDescription: String? {
        get { settings.current.commandDescription }
        set { settings.withLock { $0.commandDescription = newValue } }
    }

    public struct Identity: Sendable, Equatable {
        public var replica: ReplicaID
        public var operatorName: String
        public var team: Team?
        /// This laptop's key pair; nil only in a store from an earlier release opened
        /// read-only.
        public var laptopKey: LaptopKey?
    }

    /// A team: the group of stores that may exchange changes. The secret never leaves the
    /// team's laptops except inside an invite.
    public struct Team: Sendable, Equatable {
        public var id: ReplicaID
        public var secret: [UInt8]

        public init(id: ReplicaID, secret: [UInt8]) {
            self.id = id
            self.secret = secret
        }

        public static func random() -> Team {
            var rng = SystemRandomNumberGenerator()
            return Team(id: .random(), secret: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    public static let systemClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    init(directory: URL, database: DatabasePool, identity: Identity, now: @escaping @Sendable () -> Int64) {
        self.directory = directory
        self.database = database
        self.now = now
        settings = LockedBox(Settings(identity: identity))
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        // Another process (the server, a second CLI) may hold the write lock for the length
        // of one batch; wait for it rather than fail.
        // Poll every millisecond for up to 30 s. SQLite's own busy timeout backs off to
        // 100 ms sleeps, which makes two CLI processes writing at once take turns slowly.
        config.busyMode = .callback { retries in
            usleep(1_000)
            return retries < 30_000
        }
        config.prepareDatabase { db in
            // WAL + NORMAL: a committed transaction survives a killed process; only a power
            // cut can lose the last ones. Checkpoints are fsynced.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Record ids are random, so their indexes take inserts all over the B-tree: a
            // page cache that holds them keeps bulk writes from spilling to disk mid-batch.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
        }
        return config
    }

    /// Creates a new store in `directory` (made if missing; must not already hold a store).
    ///
    /// - Parameters:
    ///   - operatorName: the person who uses this laptop, shown in history.
    ///   - team: the team to belong to; `nil` starts a new team.
    ///   - locked: for a new team: whether only invited laptops may join (`qun init`), or also
    ///     whoever holds the team secret (`qun init --open`, and every team of an earlier
    ///     release until `qun team lock`).
    public static func create(
        at directory: URL, operatorName: String, team: Team? = nil, locked: Bool = false,
        now: @escaping @Sendable () -> Int64 = Store.systemClock
    ) throws -> Store {
        let name = operatorName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.missingValue(field: "operator name") }
        let file = directory.appendingPathComponent(databaseFileName)
        if FileManager.default.fileExists(atPath: file.path) {
            throw StoreError.alreadyExists(path: directory.path)
        }
        try StoreFiles.makeDirectory(directory)
        let pool = try DatabasePool(path: file.path, configuration: configuration())
        StoreFiles.protect(directory)
        try Migrations.run(on: pool)
        let replica = ReplicaID.random()
        let laptopKey = LaptopKey.generate()
        let founding = team == nil
        let team = team ?? Team(id: ReplicaID(bytes: LaptopKey.teamID(foundedBy: laptopKey.signingPublicKey))!, secret: Team.random().secret)
        let home = try Store.home(of: directory)
        try pool.write { db in
            for (key, value) in [
                ("replica_id", replica.hex), ("operator", name), ("team_id", team.id.hex),
                ("team_secret", team.secret.hexString), ("laptop_key", laptopKey.stored),
                ("home", home), ("last_hlc", "0"), ("number_counter", "0"),
            ] {
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
        let store = Store(directory: directory, database: pool,
                          identity: Identity(replica: replica, operatorName: name, team: team, laptopKey: laptopKey), now: now)
        try store.write(recordingCommand: false) { tx in
            var operations = [store.selfEntry(founding ? .found : .claim, key: laptopKey)]
            if founding && locked { operations.append(RosterOp(kind: .lock)) }
            try store.writeRoster(operations, in: tx)
            try tx.set(.operatorCollection, replica.hex, "name", .text(name))
        }
        return store
    }

    /// Opens the store in `directory`, migrating an older schema and giving a copied store a
    /// fresh replica id.
    public static func open(at directory: URL, now: @escaping @Sendable () -> Int64 = Store.systemClock) throws -> Store {
        let file = directory.appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError.notAStore(path: directory.path)
        }
        // Tightened before opening (files left readable by an earlier release) and after (the
        // -wal and -shm files SQLite may just have made).
        StoreFiles.protect(directory)
        // Without write access SQLite cannot open the pool for writing: open it read-only,
        // so that reading commands still work (on a read-only disk, a teammate's copy).
        let writable = access(file.path, W_OK) == 0 && access(directory.path, W_OK) == 0
        var config = configuration()
        config.readonly = !writable
        let pool = try DatabasePool(path: file.path, configuration: config)
        StoreFiles.protect(directory)
        if writable { try Migrations.run(on: pool) } else { try Migrations.checkCurrent(on: pool) }
        let identity = try pool.read { db in try Store.readIdentity(db) }
        let store = Store(directory: directory, database: pool, identity: identity, now: now)
        store.isReadOnly = !writable
        // A read-only store cannot be written from, so it cannot clash with its copies.
        if writable {
            try store.claimHome()
            try store.enterRosterAfterUpgrade()
        }
        return store
    }

    static func readIdentity(_ db: Database) throws -> Identity {
        func meta(_ key: String) throws -> String? {
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
        guard let replicaHex = try meta("replica_id"), let replica = ReplicaID(hex: replicaHex),
              let operatorName = try meta("operator") else {
            throw StoreError.invalidChange("store metadata is missing its replica id")
        }
        var team: Team?
        if let teamHex = try meta("team_id"), let teamID = ReplicaID(hex: teamHex),
           let secretHex = try meta("team_secret") {
            team = Team(id: teamID, secret: Store.bytes(hex: secretHex))
        }
        return Identity(replica: replica, operatorName: operatorName, team: team,
                        laptopKey: try meta("laptop_key").flatMap(LaptopKey.init(stored:)))
    }

    /// The bytes of a hex string; empty when it is not hex.
    public static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let byte = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return [] }
            bytes.append(byte)
        }
        return bytes
    }

    /// Where this database file lives: machine, path and inode. A copy (to another directory
    /// or another laptop) has a different home.
    static func home(of directory: URL) throws -> String {
        let machine = (try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ProcessInfo.processInfo.hostName
        let path = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let file = directory.appendingPathComponent(databaseFileName).path
        let inode = (try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? NSNumber)?.int64Value ?? 0
        return "\(machine)|\(path)|\(inode)"
    }

    /// Two stores sharing one replica id would hand out the same `(replica, seq)` pairs and
    /// silently drop each other's changes. A store whose file has moved (copied to a second
    /// laptop, or to a second directory) therefore takes a new replica id before it writes
    /// anything. The changes it holds keep their original ids, so nothing is lost; a store
    /// that was merely moved pays one extra version-vector entry.
    private func claimHome() throws {
        let home = try Store.home(of: directory)
        // Home and identity from one snapshot: if another process claimed this copy after
        // `open` read the identity, the early return below must not keep the old id.
        let (recorded, current) = try database.read { db in
            (try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'home'"), try Store.readIdentity(db))
        }
        identity = current
        guard recorded != home else { return }
        let old = identity.replica
        let fresh = ReplicaID.random()
        let changed = try database.write { db -> Bool in
            // Another process may have claimed it first.
            let current = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'home'")
            guard current != home else { return false }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'replica_id'", arguments: [fresh.hex])
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('home', ?)", arguments: [home])
            try db.execute(sql: "UPDATE meta SET value = '0' WHERE key = 'number_counter'")
            // The copy is a new laptop: the original's key must not speak for it.
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('laptop_key', ?)", arguments: [LaptopKey.generate().stored])
            return true
        }
        identity = try database.read { db in try Store.readIdentity(db) }
        if changed {
            notify("this store was copied or moved: it now writes as replica \(identity.replica.hex.prefix(8)) (was \(old.hex.prefix(8))) so the two copies cannot overwrite each other")
            do {
                try enterRoster()
                try announceOperator()
            } catch let refusal as RosterError {
                // A copy of a locked team's store is a laptop no admin has invited: it can
                // still be read.
                notify("the copy is not in the team's roster, so it cannot write: \(refusal)")
            }
        }
    }

    /// Records this replica's operator name as a replicated record, so that every peer can
    /// show who made a change.
    func announceOperator() throws {
        let replica = identity.replica
        let name = identity.operatorName
        // Not an operator's command: `undo` must not take the name back.
        try write(recordingCommand: false) { tx in
            try tx.set(.operatorCollection, replica.hex, "name", .text(name))
        }
    }

    /// Changes the skew bound stored for this store (milliseconds).
    public func setMaximumSkew(milliseconds: Int64) {
        skewPolicy = ClockSkewPolicy(maximumAheadMilliseconds: milliseconds)
    }
}

extension String {
    /// The collection holding one record per replica: its operator's name.
    public static let operatorCollection = "operator"
    /// The members collection.
    public static let memberCollection = "member"
}

extension Store {
    /// Checkpoints the write-ahead log into the database file, truncates it, and closes the
    /// database.
    ///
    /// A process must not leave the log behind: every later command would first read all of
    /// it back (after 300 `member add` runs it had grown to 19 MB, doubling a command's time
    /// on 10k members). Closing alone does not checkpoint, because the connection that
    /// closes last is a read-only one. The checkpoint never waits: while another process
    /// (`qun serve` in the middle of a sync) is reading or writing, truncating would block
    /// this command and that process's writes, so the log is then copied as far as it can
    /// be without waiting and left for a later command to truncate.
    public func close() throws {
        if isReadOnly { return try database.close() }
        try database.writeWithoutTransaction { db in
            // The connection is about to close: its busy handler is no longer needed.
            sqlite3_busy_timeout(db.sqliteConnection, 0)
            if (try? db.checkpoint(.truncate)) == nil {
                _ = try? db.checkpoint(.passive)
            }
        }
        try database.close()
    }
}
