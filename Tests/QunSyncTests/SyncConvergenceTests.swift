import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// Several laptops syncing over HTTP in different orders end with the same data.
final class SyncConvergenceTests: ClientTestCase {
    func testThreeStoresSyncedInARingConverge() async throws {
        let a = try makeStore("林晓")
        let b = try makeStore("阿杰", team: a.team)
        let c = try makeStore("小美", team: a.team)
        let shared = try a.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟"] }
        let (urlA, urlB, urlC) = (try await serve(a), try await serve(b), try await serve(c))
        // Everyone gets the shared member first.
        try await sync(b, with: urlA)
        try await sync(c, with: urlA)

        // Offline edits everywhere, some to the same member.
        for index in 0..<5 { try a.add("成员\(index)") { $0.role = .core } }
        for index in 0..<4 { try b.add("会员\(index)") { $0.tags = ["读书会"] } }
        for index in 0..<3 { try c.add("朋友\(index)") }
        var edit = MemberEdit()
        edit.fields[.city] = "上海"
        _ = try b.editMember(shared.id, edit)
        edit.fields[.city] = "苏州"
        edit.addTags = ["核心"]
        _ = try c.editMember(shared.id, edit)
        edit = MemberEdit()
        edit.removeTags = ["早鸟"]
        edit.fields[.notes] = "负责签到"
        _ = try a.editMember(shared.id, edit)
        _ = try c.removeMember(try c.add("临时").id)

        // A↔B, B↔C, C↔A, then once more around the ring (small pages on the way).
        for _ in 0..<2 {
            try await sync(a, with: urlB, pageSize: 7)
            try await sync(b, with: urlC, pageSize: 7)
            try await sync(c, with: urlA, pageSize: 7)
        }
        let export = try a.exportText()
        XCTAssertEqual(try b.exportText(), export)
        XCTAssertEqual(try c.exportText(), export)
        XCTAssertEqual(try b.versionVector(), try a.versionVector())
        XCTAssertEqual(try c.versionVector(), try a.versionVector())

        // Converged: nothing moves any more, any pair.
        for (store, url) in [(a, urlB), (b, urlC), (c, urlA), (a, urlC)] {
            let report = try await sync(store, with: url)
            XCTAssertTrue(report.isNoOp, "\(report)")
        }
    }

    func testTwoClientsOfOneServerConvergeThroughIt() async throws {
        let hub = try makeStore("王磊")
        let clients = try (0..<3).map { try makeStore("成员\($0)", team: hub.team) }
        for (index, store) in clients.enumerated() {
            for item in 0..<(3 + index) { try store.add("客户\(index)-\(item)") { $0.city = "杭州" } }
        }
        let url = try await serve(hub)
        for store in clients { try await sync(store, with: url, pageSize: 7) }
        // The first ones have not seen the later ones' changes yet: one more pass.
        for store in clients { try await sync(store, with: url, pageSize: 7) }
        let export = try hub.exportText()
        for store in clients { XCTAssertEqual(try store.exportText(), export) }
    }
}
