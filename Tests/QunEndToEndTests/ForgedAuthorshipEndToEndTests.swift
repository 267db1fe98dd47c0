import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// A holder of the team secret pushes a change under a teammate's replica id at that
/// teammate's latest seq, before the teammate's real one reaches the server. Before commits
/// were signed, the vectors then agreed and only the history digests showed it; now the
/// server refuses the forgery outright (its block carries no valid signature by that
/// teammate's laptop key), and the teammate's real change goes in at the next sync.
final class ForgedAuthorshipEndToEndTests: SyncTestCase {
    func testAChangeForgedUnderATeammatesIDIsRefused() throws {
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
        XCTAssertEqual(pushed.status, 200)
        XCTAssertLessThan(vector(status(a))[bReplica.hex] ?? 0, Int(bSeq), "A must not take B's seq \(bSeq) from the forger")
        XCTAssertFalse(export(a).contains("冒名顶替"))

        sync(b, with: server.url)
        XCTAssertEqual(vector(status(a))[bReplica.hex], Int(bSeq))
        XCTAssertTrue(export(a).contains("李四"))
        XCTAssertFalse(export(a).contains("冒名顶替"))
        XCTAssertEqual(export(a), export(b))
        XCTAssertEqual((status(b)["forks"] as? [[String: Any]] ?? []).count, 0)
    }
}
