import Foundation
import QunCore
import QunStore
@testable import QunSync
import XCTest

/// What a server learns of its clients: enough for `status` and `bundle export --for`.
final class ClientKnowledgeTests: ClientTestCase {
    func testAServerLearnsWhatAPullOnlyClientHolds() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        try wang.add("张三") { $0.city = "杭州" }
        let url = try await serve(wang)

        // Lin has nothing the server lacks but its operator record: pull, then a tiny push.
        _ = try await sync(lin, with: url)
        XCTAssertEqual(try wang.peerKnowledge(lin.replica), try lin.versionVector())

        // A second change on the server, pulled by a sync that pushes nothing: the server
        // still learns, from the final info request, that lin now holds it.
        try wang.add("李四")
        let second = try await sync(lin, with: url)
        XCTAssertEqual(second.sent, 0)
        XCTAssertGreaterThan(second.received, 0)
        XCTAssertEqual(try wang.peerKnowledge(lin.replica), try lin.versionVector())
        XCTAssertEqual(try wang.status().pendingForPeers[lin.replica], 0)
    }
}
