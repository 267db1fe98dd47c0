import Foundation
import GRDB
import QunCore
import QunStore
import XCTest

final class StatusTests: StoreTestCase {
    func testStatusCountsMembersChangesAndVector() throws {
        let store = try makeStore(name: "林晓")
        let a = try store.add("张三")
        try store.add("李四")
        try store.removeMember(a.id)
        let status = try store.status()
        XCTAssertEqual(status.members, 1)
        XCTAssertEqual(status.deletedMembers, 1)
        XCTAssertEqual(status.changes, try store.changes().count)
        XCTAssertEqual(status.vector, try store.versionVector())
        XCTAssertEqual(status.vector.count, Int64(status.changes))
        XCTAssertTrue(status.held.isEmpty)
        XCTAssertTrue(status.pendingForPeers.isEmpty)
    }

    func testPendingChangesPerPeerFollowWhatThePeerIsKnownToHold() throws {
        let stores = try makeTeam(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        XCTAssertNil(try a.peerKnowledge(b.identity.replica))
        try a.add("张三")
        try push(a, b)
        try a.recordPeerKnowledge(b.identity.replica, vector: try b.versionVector())
        XCTAssertEqual(try a.status().pendingForPeers[b.identity.replica], 0)
        XCTAssertEqual(try a.peerKnowledge(b.identity.replica), try b.versionVector())

        try a.add("李四")  // number, name, role, status, joined, and the commit's signature
        XCTAssertEqual(try a.status().pendingForPeers[b.identity.replica], 6)
        XCTAssertEqual(try a.changes(since: try a.peerKnowledge(b.identity.replica)!).count, 6)

        // Knowledge only grows: an older vector does not make the peer forget.
        try a.recordPeerKnowledge(b.identity.replica, vector: VersionVector())
        XCTAssertEqual(try a.peerKnowledge(b.identity.replica), try b.versionVector())
        // Knowledge of oneself is not recorded.
        try a.recordPeerKnowledge(a.identity.replica, vector: try a.versionVector())
        XCTAssertNil(try a.peerKnowledge(a.identity.replica))
    }

    func testAFailedWriteLeavesNothingBehind() throws {
        struct Abort: Error {}
        let store = try makeStore()
        let member = try store.add("张三")
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.write { tx in
            try tx.set(.memberCollection, member.id, "city", .text("上海"))
            try tx.add(.memberCollection, member.id, "tags", "x")
            try tx.remove(.memberCollection, member.id, "tags", "x")  // flushes mid-transaction
            throw Abort()
        })
        XCTAssertEqual(try store.fingerprint(), before)
        // The seq counter did not advance either.
        let next = try store.versionVector()[store.identity.replica] + 1
        try store.edit(member.id, [.city: "杭州"])
        // The edit takes the next seq; its commit's signature the one after.
        XCTAssertEqual(try store.changes().first { $0.id.replica == store.identity.replica && $0.id.seq >= next }?.id.seq, next)
    }

    func testANewerSchemaIsRefused() throws {
        let store = try makeStore()
        try store.database.write { db in try db.execute(sql: "PRAGMA user_version = 999") }
        let directory = store.directory
        try store.database.close()
        guard case .newerSchema(found: 999, _)? = storeError({ try Store.open(at: directory) }) else {
            return XCTFail("expected newerSchema")
        }
    }
}
