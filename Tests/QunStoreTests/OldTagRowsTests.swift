import Foundation
import GRDB
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport

/// Stores made by earlier releases hold tag rows in an older form; they must read, and go
/// on merging, exactly as the rows written now.
final class OldTagRowsTests: StoreTestCase {
    /// What an earlier release left for a delete token a restore observed before the delete:
    /// an unseen tag of time zero, kept so when the delete came.
    private func makeOldForm(_ store: Store, record: String, seq: Int64? = nil) throws {
        try store.database.write { db in
            try db.execute(sql: """
                UPDATE set_tag SET kind = 0, hlc = 0
                WHERE record = (SELECT rowid FROM record WHERE uid = ?) AND field = (SELECT rowid FROM name WHERE text = '')
                  AND removed = 1 AND (? IS NULL OR seq = ?)
                """, arguments: [record, seq, seq])
            XCTAssertGreaterThan(db.changesCount, 0, "the test made an old-form row")
        }
    }

    func testAnOldRestoreBeforeDeleteRowReadsAsTheNewOne() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        _ = try store.removeMember(member.id)
        _ = try store.restoreMember(member.id)
        let before = try store.exportText()
        try makeOldForm(store, record: member.id)

        let reopened = try Store.open(at: store.directory)
        XCTAssertEqual(try reopened.exportText(), before)
        XCTAssertFalse(try reopened.member(member.id).deleted)
        // Deleting and restoring again go on as before.
        _ = try reopened.removeMember(member.id)
        XCTAssertTrue(try reopened.member(member.id, includeDeleted: true).deleted)
        _ = try reopened.restoreMember(member.id)
        XCTAssertEqual(try reopened.exportText(), before)
    }

    func testADeleteArrivingOnAnOldPlaceholderEndsAsTheNewRow() throws {
        let store = try makeStore()
        let teammate = ReplicaID.random()
        let record = RecordID.random()
        let now = Store.systemClock() - 10_000
        try store.apply([remoteChange(teammate, 1, at: now, record: record, .set(.text("李四")))])
        let delete = remoteChange(teammate, 2, at: now + 1, record: record, field: "", .delete)
        try store.apply([remoteChange(teammate, 3, at: now + 2, record: record, field: "", .restore(observed: [delete.id]))])
        try makeOldForm(store, record: record, seq: 2)
        try store.apply([delete])

        let row = try store.database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT kind, hlc, removed FROM set_tag WHERE record = (SELECT rowid FROM record WHERE uid = ?) AND seq = 2
                """, arguments: [record])
        }
        XCTAssertEqual(row?[0] as Int64?, TagKind.deleteToken.rawValue)
        XCTAssertEqual(row?[1] as Int64?, delete.hlc.rawValue)
        XCTAssertEqual(row?[2] as Bool?, true)
        XCTAssertFalse(try store.member(record).deleted, "the restore observed the delete")
    }
}
