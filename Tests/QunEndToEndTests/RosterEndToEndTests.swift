import Foundation
import XCTest

/// The roster with real processes on 127.0.0.1: single-use invites, a viewer whose pushes
/// every peer refuses, and a removal after which the removed laptop gets 401 everywhere and
/// its later edits reach no one, with 离职继承 (`--handover`).
final class RosterEndToEndTests: SyncTestCase {
    /// A locked team founded by 林 and served; returns the store and its server.
    private func foundedTeam() throws -> (URL, ServeProcess) {
        let lin = initLockedStore("lin", operator: "林")
        addMember("张三", store: lin)
        return (lin, try serve(lin))
    }

    /// `init --join` with a fresh invite of `role` from the served admin store.
    @discardableResult
    private func join(_ name: String, operator operatorName: String, admin: URL, server: ServeProcess, role: String = "editor") -> URL {
        let code = qun(["team", "invite", "--role", role, "--url", server.url], store: admin)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(code.hasPrefix("qun2:"), code)
        let store = path(name)
        qun(["init", "--name", operatorName, "--join", code], store: store)
        return store
    }

    private func memberNames(_ store: URL) -> Set<String> {
        Set(exportedMembers(export(store)).values.compactMap { $0["name"] as? String })
    }

    private func roster(_ store: URL) -> [String: [String: Any]] {
        let list = jsonArray(qun(["team", "list", "--json"], store: store)) ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
    }

    // (3) An invite works once, and not after it expired.
    func testAnInviteWorksOnceAndNotAfterItExpires() throws {
        let (lin, server) = try foundedTeam()
        let code = qun(["team", "invite", "--url", server.url], store: lin).trimmingCharacters(in: .whitespacesAndNewlines)
        qun(["init", "--name", "王", "--join", code], store: path("wang"))
        XCTAssertEqual(memberNames(path("wang")), ["张三"])
        qunFails(["init", "--name", "冒名", "--join", code], store: path("second"), stderrContains: ["already used"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("second").appendingPathComponent("qun.sqlite").path))

        // Issued by a clock a minute behind, so that its second of life is over by the
        // server's clock: an expired invite without waiting for it to expire.
        let minuteBehind = ["QUN_CLOCK_OFFSET_MS": "-60000"]
        let short = qun(["team", "invite", "--expires", "1s", "--url", server.url], store: lin, env: minuteBehind)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        qunFails(["init", "--name", "迟到", "--join", short], store: path("late"), stderrContains: ["expired"])
        XCTAssertEqual(Set(roster(lin).keys), ["林", "王"])
        XCTAssertEqual(roster(lin)["王"]?["role"] as? String, "editor")
        XCTAssertEqual(roster(lin)["王"]?["added_by"] as? String, "林")
    }

    // (1) A viewer pulls; its pushes are refused by every peer.
    func testAViewerPullsButEveryPeerRefusesItsPushes() throws {
        let (lin, server) = try foundedTeam()
        let wang = join("wang", operator: "王", admin: lin, server: server)
        let kan = join("kan", operator: "看", admin: lin, server: server, role: "viewer")
        XCTAssertEqual(memberNames(kan), ["张三"])
        qunFails(["member", "add", "偷写"], store: kan, stderrContains: ["viewer"])

        // 王 writes offline after 林 made 王 a viewer: the pushes of a viewer are refused.
        let wangServer = try serve(wang)
        qun(["peer", "add", "wang", wangServer.url], store: lin)
        addMember("李四", store: lin)
        qun(["team", "role", "王", "viewer"], store: lin)
        addMember("王写的", store: wang)
        qunFails(["sync", "origin"], store: wang, stderrContains: ["viewer"])
        XCTAssertFalse(memberNames(lin).contains("王写的"))
        // The viewer still pulls: 李四 reached it.
        XCTAssertTrue(memberNames(wang).contains("李四"))
        // Its server refuses nothing, but 林's sync with it leaves the viewer's edit out.
        qun(["sync", "wang"], store: lin)
        XCTAssertFalse(memberNames(lin).contains("王写的"))
        qun(["sync", "origin"], store: kan)
        XCTAssertFalse(memberNames(kan).contains("王写的"))
        XCTAssertEqual(export(lin), export(kan))
    }

    // (2) and (4): after 林 removes 李 and syncs with 王, 李 gets 401 at both, its later
    // edits never appear, its earlier ones stay, and its tasks and members went to 王.
    func testARemovedLaptopGets401EverywhereAndItsLaterEditsAreDropped() throws {
        let (lin, server) = try foundedTeam()
        let wang = join("wang", operator: "王", admin: lin, server: server)
        let li = join("li", operator: "李", admin: lin, server: server)
        let wangServer = try serve(wang)
        qun(["peer", "add", "wang", wangServer.url], store: lin)
        qun(["peer", "add", "wang", wangServer.url], store: li)

        // 李's earlier work, synced: a member, and tasks and members 李 looks after.
        let early = addMember("李的老朋友", store: li)
        qun(["sync", "origin"], store: li)
        let kolLi = addMember("李", ["--role", "kol"], store: lin)
        addMember("王", ["--role", "kol"], store: lin)
        addMember("小明", ["--kol", kolLi], store: lin)
        let task = qun(["task", "add", "周报", "--assignee", "李"], store: lin).trimmingCharacters(in: .whitespacesAndNewlines)
        let done = qun(["task", "add", "已完成", "--assignee", "李"], store: lin).trimmingCharacters(in: .whitespacesAndNewlines)
        qun(["task", "done", done], store: lin)

        let removal = qun(["team", "remove", "李", "--handover", "王"], store: lin)
        XCTAssertTrue(removal.contains("1 task,"), removal)
        XCTAssertTrue(removal.contains("1 member"), removal)
        qun(["sync", "wang"], store: lin)

        // 李, not knowing yet, edits, then tries to sync with either teammate.
        addMember("李离开后", store: li)
        qunFails(["sync", "origin"], store: li, stderrContains: ["removed"])
        qunFails(["sync", "wang"], store: li, stderrContains: ["removed"])
        for store in [lin, wang] {
            XCTAssertFalse(memberNames(store).contains("李离开后"))
            XCTAssertTrue(memberNames(store).contains("李的老朋友"))
        }
        XCTAssertEqual(roster(wang)["李"]?["status"] as? String, "removed")
        // History says the earlier edit is 李's, verified by 李's laptop key.
        let history = jsonArray(qun(["history", early, "--json"], store: wang)) ?? []
        XCTAssertFalse(history.isEmpty)
        XCTAssertTrue(history.allSatisfy { $0["authorship"] as? String == "verified" }, "\(history)")

        // 离职继承: the open task and 小明 now belong to 王.
        let tasks = jsonArray(qun(["task", "list", "--json"], store: wang)) ?? []
        XCTAssertEqual(tasks.first { ($0["id"] as? String) == task }?["assignee"] as? String, "王")
        let members = exportedMembers(export(wang))
        let xiaoming = try XCTUnwrap(members.values.first { $0["name"] as? String == "小明" })
        let kolWang = try XCTUnwrap(members.first { $0.value["name"] as? String == "王" }?.key)
        XCTAssertEqual(xiaoming["kol"] as? String, kolWang)
        XCTAssertEqual(export(lin), export(wang))
    }
}
