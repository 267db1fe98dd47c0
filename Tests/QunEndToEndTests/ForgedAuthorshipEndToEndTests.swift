import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// A holder of the team secret pushes a change under a teammate's replica id at that
/// teammate's latest seq, before the teammate's real one reaches the server. The vectors then
/// agree and the two changes never travel: only the history digests show it. The teammate's
/// sync must say so (non-zero exit) and `qun status` must list it, never report success.
final class ForgedAuthorshipEndToEndTests: SyncTestCase {
    func testAChangeForgedUnderATeammatesIDIsReportedLoudly() throws {
        let a = initStore("a", operator: "林晓")
        addMember("张三", store: a)
        let server = try serve(a)
        let team = try TeamInvite(parsing: invite(a)).team
        let b = joinEmpty("b", operator: "王磊", inviter: a)
        sync(b, with: server.url)
        // B writes offline; its newest change has not reached A yet.
        addMember("李四", ["--city", "杭州"], store: b)
        let bStatus = status(b)
        let bReplica = try XCTUnwrap(stringField(bStatus, "replica").flatMap(ReplicaID.init(hex:)))
        let bSeq = Int64(try XCTUnwrap(vector(bStatus)[bReplica.hex]))
        // The forger sends A everything B has up to that seq, with that seq itself forged.
        let forged = Change(id: ChangeID(replica: bReplica, seq: bSeq), hlc: HLC(rawValue: Store.systemClock() << 16),
                            collection: "member", record: RecordID.random(), field: "name", operation: .set(.text("冒名顶替")))
        let earlier = try Store.open(at: b).changes().filter { $0.id.replica == bReplica && $0.id.seq < bSeq }
        let pushed = try sealedPush(earlier + [forged], to: server.url, team: team)
        XCTAssertEqual(pushed.status, 200, "the forgery is accepted: without signatures, nothing tells it apart")
        XCTAssertEqual(vector(status(a))[bReplica.hex], Int(bSeq), "A now holds B's seq \(bSeq)")

        let result = runQun(["sync", server.url], store: b)
        XCTAssertNotEqual(result.status, 0, "the sync must not report success: \(result.stdout)")
        XCTAssertTrue(result.stderr.contains("holds other changes than this laptop under replica \(bReplica.hex.prefix(8))"), result.stderr)
        let forks = status(b)["forks"] as? [[String: Any]] ?? []
        XCTAssertEqual(forks.count, 1, "\(forks)")
        XCTAssertEqual(stringField(forks.first, "replica"), bReplica.hex)
        XCTAssertTrue(qun(["status"], store: b).contains("holds other changes than this laptop"))
        // A sees it too when it syncs with B.
        let bServer = try serve(b)
        let fromA = runQun(["sync", bServer.url], store: a)
        XCTAssertNotEqual(fromA.status, 0, fromA.stdout)
        XCTAssertEqual((status(a)["forks"] as? [[String: Any]] ?? []).count, 1)
    }
}
