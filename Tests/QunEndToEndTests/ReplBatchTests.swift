import Foundation
import XCTest

/// `qun repl < script.txt`: the REPL as a batch tool (no terminal: no prompt, no history).
final class ReplBatchTests: QunTestCase {
    func testScriptThroughStdin() throws {
        let store = initStore("s", operator: "林")
        let script = #"""
            # 注释行与空行都跳过

            member add 张三 --city 杭州 --tag 读书会
            member add "李 四" --city '上 海' \
              --tag "新\"人" --notes 'a\b'
            member add 王\ 五 --notes 'x y'
            member show 没有这个人
            member add "未闭合
            serve
            help member add
            member list --json
            quit
            member add 不该运行
            """#
        let result = runQun(["repl"], store: store, stdin: script)
        XCTAssertNotEqual(result.status, 0, "a failed line makes the batch fail:\n\(result.stderr)")
        XCTAssertFalse(result.stdout.contains("qun> "), "no prompt when stdin is not a terminal")
        XCTAssertTrue(result.stdout.contains("USAGE: qun member add"), result.stdout)
        XCTAssertTrue(result.stderr.contains("没有这个人"), result.stderr)
        XCTAssertTrue(result.stderr.contains("unterminated double quote"), result.stderr)
        XCTAssertTrue(result.stderr.contains("`serve` cannot run inside the REPL"), result.stderr)
        XCTAssertTrue(result.stderr.contains("3 lines failed"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.appendingPathComponent("repl_history").path),
                       "no history file for a batch")

        // The lines after the failures ran; the line after `quit` did not.
        let jsonStart = try XCTUnwrap(result.stdout.range(of: "\n[")?.upperBound)
        let json = "[" + result.stdout[jsonStart...]
        let members = try XCTUnwrap(jsonArray(String(json)))
        let byName = Dictionary(uniqueKeysWithValues: members.map { (stringField($0, "name") ?? "", $0) })
        XCTAssertEqual(Set(byName.keys), ["张三", "李 四", "王 五"])
        XCTAssertEqual(stringField(byName["李 四"], "city"), "上 海")
        XCTAssertEqual(tagSet(byName["李 四"]), ["新\"人"])
        XCTAssertEqual(stringField(byName["李 四"], "notes"), "a\\b")
        XCTAssertEqual(stringField(byName["王 五"], "notes"), "x y")
        XCTAssertEqual(stringField(byName["张三"], "city"), "杭州")
    }

    func testCleanScriptExitsZeroAndUsesTheSessionStore() throws {
        let store = initStore("s", operator: "林")
        // QUN_STORE names the store; every line works on it without --store.
        let result = runQun(["repl"], stdin: "member add 赵六\nmember list\n", env: ["QUN_STORE": store.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("赵六"), result.stdout)
        XCTAssertEqual(exportedMembers(export(store)).count, 1)
    }

    func testAMissingStoreFailsAtOnce() {
        qunFails(["repl"], store: path("nowhere"), stdin: "member list\n")
    }
}
