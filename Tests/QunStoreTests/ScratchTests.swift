import Foundation
import QunCore
import QunStore
import XCTest

final class ScratchTests: StoreTestCase {
    func testIds() throws {
        let a = try makeStore(name: "a")
        let b = try makeStore(name: "b")
        let r = ReplicaID.random()
        let now = Store.systemClock() - 1000
        let changes = [
            remoteChange(r, 1, at: now, collection: "thing", record: "caf\u{E9}", field: "x", .set(.text("1"))),
            remoteChange(r, 2, at: now, collection: "thing", record: "cafe\u{301}", field: "y", .set(.text("2"))),
            remoteChange(r, 3, at: now, collection: "thing", record: "r", field: "caf\u{E9}", .set(.text("3"))),
            remoteChange(r, 4, at: now, collection: "thing", record: "r", field: "cafe\u{301}", .set(.text("4"))),
        ]
        try a.apply(changes)
        for c in changes { try b.apply([c]) }
        print("A", try a.exportSection("thing"))
        print("B", try b.exportSection("thing"))
        print("D", section(document(of: changes).export(), "thing"))
        print("A changes", try a.changes().filter { $0.id.replica == r }.map { Array($0.record.utf8) + [0] + Array($0.field.utf8) })
        print("B changes", try b.changes().filter { $0.id.replica == r }.map { Array($0.record.utf8) + [0] + Array($0.field.utf8) })
    }
}
