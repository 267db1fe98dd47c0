import Foundation
import XCTest

/// A store deleted under a running `qun serve`: SQLite would go on writing into the unlinked
/// file, so pushes would be answered 200 and vanish. The server refuses from that moment and
/// stops with a message.
final class StoreGoneEndToEndTests: SyncTestCase {
    func testAServerWhoseStoreWasDeletedStopsAndAcceptsNothing() throws {
        let served = initStore("served", operator: "林晓")
        addMember("张三", store: served)
        let server = try serve(served)
        let teammate = joinEmpty("teammate", operator: "王", inviter: served)
        sync(teammate, with: server.url)
        addMember("李四", store: teammate)

        try FileManager.default.removeItem(at: served)
        // At once: the teammate's sync is refused, not answered and lost.
        let refused = runQun(["sync", server.url], store: teammate)
        if refused.status == 0 {
            XCTFail("a sync with a server whose store is gone must fail: \(refused.stdout)")
        } else {
            // Either told why (a signed 503), or, if the watch already stopped the server, that
            // nobody answers there.
            XCTAssertTrue(refused.stderr.contains("deleted or moved") || refused.stderr.contains("cannot reach"), refused.stderr)
        }
        // Within a few seconds the server itself stops, and says why.
        let status = server.child.wait(timeout: 10)
        XCTAssertNotNil(status, "qun serve still runs after its store was deleted")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(server.child.stderr.contains("deleted or replaced"), server.child.stderr)
        // The teammate still holds its change, to sync elsewhere later.
        XCTAssertTrue(export(teammate).contains("李四"))
    }
}
