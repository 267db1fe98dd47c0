import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A holder of the team secret floods a real `qun serve` with one signed, sealed page: far
/// more changes than a page may hold, or changes of an operation nobody knows. Refused before
/// anything is applied, without holding the store's write lock, and the store unchanged.
final class PushFloodEndToEndTests: SyncTestCase {
    func testAFloodingPageIsRefusedWholeAndQuickly() throws {
        let store = initStore("served", operator: "林晓")
        addMember("张三", store: store)
        let server = try serve(store)
        let team = try TeamInvite(parsing: invite(store)).team
        let before = export(store)
        let changesBefore = changeCount(status(store))
        let author = ReplicaID.random()
        let hlc = HLC(rawValue: Store.systemClock() << 16)
        func page(_ count: Int, unknown: Bool) -> [Change] {
            (1...count).map { index in
                Change(id: ChangeID(replica: author, seq: Int64(index)), hlc: hlc, collection: "member", record: "flood\(index)",
                       field: "name", operation: unknown ? .unknown(code: 200, payload: [UInt8](repeating: 7, count: 8)) : .set(.text("x")))
            }
        }
        // 200,000 changes in one page (the attack of the report had 1.65 million), and a page
        // just over the bound of unknown operations.
        let huge = try sealedPush(page(200_000, unknown: false), to: server.url, team: team)
        XCTAssertEqual(huge.status, 413, "a page of 200,000 changes")
        let unknown = try sealedPush(page(SyncAPI.maximumUnknownPerPage + 1, unknown: true), to: server.url, team: team)
        XCTAssertEqual(unknown.status, 400, "a page of unknown operations")
        XCTAssertEqual(export(store), before)
        XCTAssertEqual(changeCount(status(store)), changesBefore, "nothing was stored")
        XCTAssertFalse(server.child.hasExited, server.child.stderr)
        // The team still syncs at once.
        let teammate = joinEmpty("teammate", operator: "王", inviter: store)
        sync(teammate, with: server.url)
        XCTAssertEqual(export(teammate), export(store))
    }
}
