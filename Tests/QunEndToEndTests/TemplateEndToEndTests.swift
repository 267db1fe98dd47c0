import Foundation
import XCTest

/// `qun template …` through the real binary: the fourth kind of record, built from the
/// record-kind description, with the same rm/restore/show and errors as the others.
final class TemplateEndToEndTests: QunTestCase {
    func testAddRenderShowRemoveRestoreWithJSON() throws {
        let store = initStore("s", operator: "林晓")
        qun(["member", "add", "张三", "--city", "杭州"], store: store)
        qun(["member", "add", "李四"], store: store)
        let id = qun(["template", "add", "欢迎语", "--text", "欢迎 {name} 加入{group}！你是第 {number} 号成员 🎉"], store: store)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 32, id)

        let shown = try XCTUnwrap(jsonObject(qun(["template", "show", "欢迎语", "--json"], store: store)))
        XCTAssertEqual(shown.keys.sorted(), ["deleted", "id", "name", "placeholders", "text"])
        XCTAssertEqual(shown["placeholders"] as? [String], ["name", "group", "number"])
        let number = try XCTUnwrap(stringField(jsonObject(qun(["member", "show", "张三", "--json"], store: store)), "number"))

        let text = qun(["template", "render", "欢迎语", "张三", "--set", "group=周末读书会"], store: store)
        XCTAssertEqual(text, "欢迎 张三 加入周末读书会！你是第 \(number) 号成员 🎉\n")
        let both = try XCTUnwrap(jsonArray(qun(["template", "render", "欢迎语", "张三", "李四", "--set", "group=群", "--json"], store: store)))
        XCTAssertEqual(both.map { stringField($0, "member_name") }, ["张三", "李四"])

        // A placeholder with no value names itself; nothing is printed.
        qunFails(["template", "render", "欢迎语", "张三"], store: store, stderrContains: ["{group}", "--set group="])
        qunFails(["template", "render", "欢迎语", "张三", "--set", "=x"], store: store, stderrContains: ["key=value"])
        qunFails(["template", "add", "坏", "--text", "欢迎 {name"], store: store, stderrContains: ["never closed"])
        qunFails(["template", "add", "欢迎语", "--text", "again"], store: store, stderrContains: ["exists already", "template edit"])

        // The generic record commands: the same words as for members, tasks and events.
        XCTAssertEqual(qun(["template", "rm", "欢迎语"], store: store),
                       "deleted \(id.prefix(8)) 欢迎语 (undo with `qun template restore \(id.prefix(8))`)\n")
        qunFails(["template", "render", "欢迎语", "张三"], store: store, stderrContains: ["is deleted", "qun template restore"])
        XCTAssertTrue(qun(["template", "show", "欢迎语"], store: store).contains("deleted yes (restore with `qun template restore"))
        let restored = try XCTUnwrap(jsonObject(qun(["template", "restore", String(id.prefix(6)), "--json"], store: store)))
        XCTAssertEqual(restored["deleted"] as? Bool, false)
        qunFails(["template", "show", "没有"], store: store,
                 stderrContains: ["no template matches '没有': give an id prefix (4+ characters) or the exact name (see `qun template list`)"])
        XCTAssertEqual(qun(["template", "list"], store: store).split(separator: "\n").last, "1 template")
        XCTAssertTrue(qun(["help", "templates"], store: store).contains("{number}"))
    }

    func testTeamSettingsFillTemplatesForTheWholeTeam() throws {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        qun(["member", "add", "张三"], store: a)
        qun(["template", "add", "欢迎语", "--text", "欢迎 {name} 加入{group}"], store: a)
        XCTAssertEqual(qun(["team", "set", "group", "周末读书会"], store: a), "{group} is now 周末读书会\n")
        qunFails(["team", "set", "name", "x"], store: a, stderrContains: ["does not fill itself"])
        let ab = path("ab.qunbundle")
        qun(["bundle", "export", ab.path], store: a)
        qun(["bundle", "import", ab.path], store: b)
        XCTAssertEqual(try XCTUnwrap(jsonObject(qun(["team", "settings", "--json"], store: b)))["group"] as? String, "周末读书会")
        XCTAssertEqual(qun(["template", "render", "欢迎语", "张三"], store: b), "欢迎 张三 加入周末读书会\n")
        qun(["team", "set", "group", ""], store: b)
        qunFails(["template", "render", "欢迎语", "张三"], store: b, stderrContains: ["qun team set group VALUE"])
    }

    func testCopyUsesTheClipboardToolThatIsInstalled() throws {
        let store = initStore("s", operator: "林晓")
        qun(["member", "add", "王五"], store: store)
        qun(["template", "add", "早安", "--text", "早安 {name}，今天是 {today}"], store: store)
        // A stand-in for wl-copy (the first tool qun tries) that keeps what it was given.
        let bin = path("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let pasted = path("pasted.txt")
        let tool = bin.appendingPathComponent("wl-copy")
        try "#!/bin/sh\ncat > '\(pasted.path)'\n".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        let environmentPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let result = runQun(["template", "render", "早安", "王五", "--copy"], store: store, env: ["PATH": "\(bin.path):\(environmentPath)"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("copied to the clipboard (wl-copy)"), result.stderr)
        XCTAssertEqual(try String(contentsOf: pasted, encoding: .utf8) + "\n", result.stdout)
    }

    func testTwoLaptopsAddingTheSameTemplateOfflineEndWithOne() throws {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        let first = qun(["template", "add", "欢迎语", "--text", "林晓的 {name}"], store: a).trimmingCharacters(in: .whitespacesAndNewlines)
        let second = qun(["template", "add", "欢迎语", "--text", "王芳的 {name}"], store: b).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(first, second, "the id comes from the name")
        let ab = path("ab.qunbundle"), ba = path("ba.qunbundle")
        qun(["bundle", "export", ab.path], store: a)
        qun(["bundle", "export", ba.path], store: b)
        qun(["bundle", "import", ab.path], store: b)
        qun(["bundle", "import", ba.path], store: a)
        let listA = try XCTUnwrap(jsonArray(qun(["template", "list", "--json"], store: a)))
        let listB = try XCTUnwrap(jsonArray(qun(["template", "list", "--json"], store: b)))
        XCTAssertEqual(listA.count, 1)
        XCTAssertEqual(listA.map { stringField($0, "text") }, listB.map { stringField($0, "text") })
    }

    func testTheReplCompletesAndRunsTemplateCommands() throws {
        let store = initStore("s", operator: "林晓")
        let script = """
            member add 赵六
            template add 欢迎语 --text '欢迎 {name}！'
            template render 欢迎语 赵六
            template rm 欢迎语
            template restore 欢迎语
            template list --json
            """
        let result = runQun(["repl"], store: store, stdin: script)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("欢迎 赵六！\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("restored "), result.stdout)
    }
}
