import Foundation
import GRDB
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport

/// A store file damaged on disk (a bad sector, a hand edit, a half-copied file) gives a clear
/// `StoreError.corruptRow` naming the table and what is wrong, never a crash.
final class CorruptRowTests: StoreTestCase {
    /// Damages the file of `store` with raw SQL through a connection of its own, as a tool
    /// outside qun would, then opens the store again.
    private func damage(_ store: Store, _ sql: String, arguments: StatementArguments = []) throws -> URL {
        let directory = store.directory
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.databaseFileName).path)
        try queue.write { db in
            // The schema's own CHECKs would refuse the damage.
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql, arguments: arguments)
        }
        try queue.close()
        return directory
    }

    private func assertCorrupt<T>(_ table: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
        guard let error = storeError(file: file, line: line, body) else { return }
        guard case .corruptRow(let named, let detail) = error else {
            return XCTFail("expected a damaged row of \(table), got \(error)", file: file, line: line)
        }
        XCTAssertEqual(named, table, detail, file: file, line: line)
        XCTAssertTrue(error.description.contains("damaged"), error.description, file: file, line: line)
        XCTAssertTrue(error.description.contains("bundle"), "says how to recover: \(error.description)", file: file, line: line)
    }

    func testAReplicaIDOfFifteenBytesIsADamagedRowNotACrash() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let damaged = try damage(store, "UPDATE replica SET id = substr(id, 1, 15) WHERE id = ?",
                                 arguments: [Data(store.identity.replica.bytes)])
        // The store opens (it reads its identity from meta); whatever reads the replica id
        // says it is damaged.
        let reopened = try Store.open(at: damaged)
        assertCorrupt("replica") { try reopened.changes() }
        assertCorrupt("replica") { try reopened.versionVector() }
        assertCorrupt("change") { try reopened.history(collection: .memberCollection, id: member.id) }
        assertCorrupt("replica") { try reopened.setCity(member.id, "杭州") }
    }

    func testAnInvalidOperationCodeIsADamagedRow() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        // Code 0 is no operation; 300 does not fit the one-byte code.
        for code in [0, 300] {
            let damaged = try Store.open(at: try damage(store, """
                UPDATE change SET op = ? WHERE field = (SELECT rowid FROM name WHERE text = 'name')
                  AND record = (SELECT rowid FROM record WHERE uid = ?)
                """, arguments: [code, member.id]))
            assertCorrupt("change") { try damaged.changes() }
            assertCorrupt("change") { try damaged.history(collection: .memberCollection, id: member.id) }
        }
    }

    func testADamagedHeldChangeIsADamagedRow() throws {
        let store = try makeStore()
        let damaged = try Store.open(at: try damage(store, """
            INSERT INTO held_change(replica_id, seq, hlc, collection, record, field, op, payload, received_at)
            VALUES (x'000102030405060708090a0b0c0d0e', 1, 1, 'member', 'abc', 'name', 1, x'', 0)
            """))
        assertCorrupt("held_change") { try damaged.heldChanges() }
        assertCorrupt("held_change") { try damaged.status() }
    }
}

private extension Store {
    func setCity(_ id: String, _ city: String) throws {
        try write { tx in try tx.set(.memberCollection, id, "city", .text(city)) }
    }
}
