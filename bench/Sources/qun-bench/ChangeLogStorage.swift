import GRDB

/// What the change log costs on disk. The log is the one table that grows with every edit, so
/// its bytes per change are the storage figure that matters; the payload (the operation's
/// value bytes) is what the operator typed, everything else is the price of history and sync:
/// replica, seq, HLC, record and field references, B-tree cells and pages, and the per-record
/// index that `qun history` reads.
struct ChangeLogStorage: CustomStringConvertible {
    var changes: Int
    /// Pages of the `change` table and its `change_by_record` index, as `dbstat` counts them.
    var logBytes: Int
    /// Free space inside those pages, part of `logBytes`.
    var unusedBytes: Int
    var payloadBytes: Int

    var metadataPerChange: Double { Double(logBytes - payloadBytes) / Double(max(changes, 1)) }

    var description: String {
        let per = { (bytes: Int) in String(format: "%.1f", Double(bytes) / Double(max(changes, 1))) }
        return "change log on disk: \(changes) changes, \(per(logBytes)) bytes/change (table + record index), "
            + "of which payload \(per(payloadBytes)), metadata \(String(format: "%.1f", metadataPerChange)) "
            + "(free space in pages \(per(unusedBytes)))"
    }
}

func changeLogStorage(path: String) throws -> ChangeLogStorage {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    return try queue.read { db in
        let pages = try Row.fetchOne(db, sql: """
            SELECT coalesce(sum(pgsize), 0) AS bytes, coalesce(sum(unused), 0) AS unused
            FROM dbstat WHERE name IN ('change', 'change_by_record')
            """)!
        let log = try Row.fetchOne(db, sql: "SELECT count(*) AS changes, coalesce(sum(length(payload)), 0) AS payload FROM change")!
        return ChangeLogStorage(changes: log["changes"], logBytes: pages["bytes"], unusedBytes: pages["unused"], payloadBytes: log["payload"])
    }
}
