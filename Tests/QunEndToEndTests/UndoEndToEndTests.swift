import Foundation
import XCTest

/// `qun undo` through the real binary: the CLI and the REPL.
final class UndoEndToEndTests: QunTestCase {
    func testUndoEditThenAddThenNothingLeft() throws {
        let store = initStore("s", operator: "林")
        let id = addMember("张三", ["--city", "杭州", "--tag", "读书会"], store: store)
        qun(["member", "edit", id, "--city", "上海", "--untag", "读书会"], store: store)

        let undone = qun(["undo"], store: store)
        XCTAssertEqual(undone, "undid: member edit \(id) --city 上海 --untag 读书会\n")
        let member = exportedMembers(export(store))[id]
        XCTAssertEqual(stringField(member, "city"), "杭州")
        XCTAssertEqual(tagSet(member), ["读书会"])

        let json = try XCTUnwrap(jsonObject(qun(["undo", "--json"], store: store)))
        XCTAssertEqual(json["undid"] as? String, "member add 张三 --city 杭州 --tag 读书会")
        XCTAssertTrue(exportedMembers(export(store)).isEmpty)

        qunFails(["undo"], store: store, stderrContains: ["nothing to undo"])
    }

    func testUndoReachesATeammateByBundle() throws {
        let a = initStore("A", operator: "林")
        let b = joinStore("B", operator: "王", inviter: a)
        let id = addMember("张三", ["--role", "kol"], store: a)
        carry(from: a, to: b, named: "1")
        qun(["member", "rm", id], store: a)
        qun(["undo"], store: a)
        carry(from: a, to: b, named: "2")
        carry(from: b, to: a, named: "3")
        XCTAssertEqual(export(a), export(b))
        XCTAssertNotNil(exportedMembers(export(b))[id])
        // B has no command of its own to undo: A's changes are A's.
        qunFails(["undo"], store: b, stderrContains: ["nothing to undo"])
    }

    func testUndoInTheRepl() throws {
        let store = initStore("s", operator: "林")
        let id = addMember("张三", ["--city", "杭州"], store: store)
        let result = runQun(["repl"], store: store, stdin: "member edit \(id) --city 上海\nundo\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("undid: member edit \(id) --city 上海"), result.stdout)
        XCTAssertEqual(stringField(exportedMembers(export(store))[id], "city"), "杭州")
    }
}
