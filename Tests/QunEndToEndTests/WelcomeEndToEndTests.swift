import Foundation
import XCTest

/// The join ritual through the real binary: `member add --welcome`, `import members
/// --welcome`, `member welcome` and `report welcome`, on the command line and in the REPL.
final class WelcomeEndToEndTests: QunTestCase {
    private func storeWithTemplate() -> URL {
        let store = initStore("s", operator: "林晓")
        qun(["template", "add", "欢迎语", "--text", "欢迎 {name} 加入{group}！你是第 {number} 号成员，来自{city} 👋"], store: store)
        return store
    }

    func testAddWithWelcomePrintsTheMessageAndRecordsIt() throws {
        let store = storeWithTemplate()
        let lines = qun(["member", "add", "张三", "--city", "杭州", "--welcome", "欢迎语", "--set", "group=周末读书会"], store: store)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, "the id, then the message")
        let member = try XCTUnwrap(jsonObject(qun(["member", "show", lines[0], "--json"], store: store)))
        XCTAssertEqual(lines[1], "欢迎 张三 加入周末读书会！你是第 \(stringField(member, "number") ?? "?") 号成员，来自杭州 👋")
        let waiting = try XCTUnwrap(jsonObject(qun(["report", "welcome", "--json"], store: store))?["members"] as? [Any])
        XCTAssertEqual(waiting.count, 0, "welcomed when added")

        // A welcome the new member cannot fill: refused, and no member is added.
        let before = qun(["export", "--format", "json"], store: store)
        qunFails(["member", "add", "李四", "--welcome", "欢迎语", "--set", "group=群"], store: store, stderrContains: ["{city}", "--set city="])
        qunFails(["member", "add", "李四", "--city", "上海", "--welcome", "欢迎语"], store: store, stderrContains: ["{group}"])
        qunFails(["member", "add", "李四", "--set", "group=群"], store: store, stderrContains: ["--welcome"])
        XCTAssertEqual(qun(["export", "--format", "json"], store: store), before)

        let json = try XCTUnwrap(jsonObject(qun(["member", "add", "王五", "--city", "成都", "--welcome", "欢迎语", "--set", "group=G", "--json"], store: store)))
        XCTAssertEqual(stringField(json, "name"), "王五")
        XCTAssertTrue(stringField(json, "welcome")?.hasPrefix("欢迎 王五 加入G") == true, "\(json)")
    }

    func testImportWelcomesWhomItCanAndTheReportListsTheRest() throws {
        let store = storeWithTemplate()
        let file = path("members.csv")
        try "姓名,城市,加入日期\n赵六,北京,2026-11-02\n钱七,,2026-11-01\n".write(to: file, atomically: true, encoding: .utf8)
        let result = runQun(["import", "members", file.path, "--welcome", "欢迎语", "--set", "group=读书会"], store: store)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("欢迎 赵六 加入读书会"), result.stdout)
        XCTAssertTrue(result.stderr.contains("line 3: not welcomed") && result.stderr.contains("{city}"), result.stderr)
        let waiting = try XCTUnwrap(jsonObject(qun(["report", "welcome", "--json"], store: store))?["members"] as? [[String: Any]])
        XCTAssertEqual(waiting.map { stringField($0, "name") }, ["钱七"])
        XCTAssertTrue(qun(["report", "welcome"], store: store).hasSuffix("1 member not welcomed yet\n"))

        // An unknown template stops the import before anything is written.
        try "姓名\n孙八\n".write(to: file, atomically: true, encoding: .utf8)
        qunFails(["import", "members", file.path, "--welcome", "没有这个模板"], store: store, stderrContains: ["no template matches"])
        XCTAssertFalse(qun(["member", "list"], store: store).contains("孙八"))

        // The rest are welcomed afterwards, from the REPL too.
        let repl = runQun(["repl"], store: store, stdin: "member edit 钱七 --city 西安\nmember welcome 钱七 --template 欢迎语 --set group=读书会\nreport welcome\n")
        XCTAssertEqual(repl.status, 0, repl.stderr)
        XCTAssertTrue(repl.stdout.contains("欢迎 钱七 加入读书会"), repl.stdout)
        XCTAssertTrue(repl.stdout.contains("0 members not welcomed yet"), repl.stdout)
    }
}
