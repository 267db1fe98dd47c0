import Foundation
import XCTest

/// `qun import members` through the real binary: spreadsheet files, bad rows, broken files,
/// dry runs, `--skip-bad`, `--json`, undo — and that a refused import changes nothing.
final class ImportMembersEndToEndTests: QunTestCase {
    private var store: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        store = initStore("club", operator: "林")
        addMember("老会员", ["--role", "kol", "--city", "杭州"], store: store)
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = path(name)
        try Data(bytes).write(to: url)
        return url
    }

    private func write(_ name: String, _ text: String, bom: Bool = false) throws -> URL {
        try write(name, (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
    }

    private func members() -> [String: [String: Any]] {
        let list = jsonArray(qun(["member", "list", "--json"], store: store)) ?? []
        var byName: [String: [String: Any]] = [:]
        for member in list { byName[member["name"] as! String] = member }
        return byName
    }

    /// Runs an import that must be refused, and checks the store did not change at all.
    @discardableResult
    private func assertRefused(_ arguments: [String], stderrContains needles: [String],
                               file: StaticString = #filePath, line: UInt = #line) -> QunOutput {
        let before = export(store, file: file, line: line)
        let changes = status(store)["changes"].flatMap(intValue)
        let result = qunFails(arguments, store: store, stderrContains: needles, file: file, line: line)
        XCTAssertEqual(export(store, file: file, line: line), before, "a refused import changed the store", file: file, line: line)
        XCTAssertEqual(status(store)["changes"].flatMap(intValue), changes, "the change log grew", file: file, line: line)
        return result
    }

    // MARK: Good files

    func testSpreadsheetFileWithBOMCRLFChineseHeadersAndQuotedFields() throws {
        let file = try write("名单.csv", """
            姓名,角色,城市,标签,推荐人,负责KOL,入群时间,备注\r
            张三,核心,上海,"读书会，新人",,老会员,2026/3/5,"说：""你好""\r
            第二行, 有逗号"\r
            李四,成员,杭州,vip、线下,张三,老会员,2026年3月6日,\r
            \r
            \r

            """, bom: true)
        let output = qun(["import", "members", file.path], store: store)
        XCTAssertTrue(output.contains("imported 2 members"), output)
        let all = members()
        XCTAssertEqual(Set(all.keys), ["老会员", "张三", "李四"])
        let zhang = all["张三"]!
        XCTAssertEqual(stringField(zhang, "role"), "core")
        XCTAssertEqual(stringField(zhang, "city"), "上海")
        XCTAssertEqual(tagSet(zhang), ["读书会", "新人"])
        XCTAssertEqual(stringField(zhang, "joined"), "2026-03-05")
        XCTAssertEqual(stringField(zhang, "notes"), "说：\"你好\"\r\n第二行, 有逗号")
        XCTAssertEqual(stringField(zhang, "kol"), stringField(all["老会员"], "id"))
        let li = all["李四"]!
        XCTAssertEqual(stringField(li, "referrer"), stringField(zhang, "id"))
        XCTAssertEqual(tagSet(li), ["vip", "线下"])
        XCTAssertEqual(stringField(li, "joined"), "2026-03-06")
    }

    func testQuietWhenPipedEvenForABigFile() throws {
        let rows = (1...3_000).map { "成员\($0),深圳,读书会;新人" }
        let file = try write("big.csv", "姓名,城市,标签\n" + rows.joined(separator: "\n") + "\n")
        let result = runQun(["import", "members", file.path], store: store)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "no progress line when stderr is not a terminal")
        XCTAssertTrue(result.stdout.contains("imported 3000 members"))
        XCTAssertEqual(members().count, 3_001)
    }

    func testMapOverridesAHeaderAndIgnoresAColumn() throws {
        let file = try write("wx.csv", "群昵称,序号,城市\n小张,1,北京\n")
        assertRefused(["import", "members", file.path], stderrContains: ["群昵称", "序号", "--map"])
        qun(["import", "members", file.path, "--map", "群昵称=name", "--map", "序号=-"], store: store)
        XCTAssertEqual(stringField(members()["小张"], "city"), "北京")
    }

    func testUndoTakesTheWholeImportBack() throws {
        let before = export(store)
        let file = try write("three.csv", "name,tags\n甲,a\n乙,b\n丙,c\n")
        qun(["import", "members", file.path], store: store)
        XCTAssertEqual(members().count, 4)
        qun(["undo"], store: store)
        XCTAssertEqual(Set(members().keys), ["老会员"])
        XCTAssertEqual(export(store), before)
    }

    // MARK: Dry run and bad rows

    func testDryRunListsTheRowsAndWritesNothing() throws {
        let file = try write("dry.csv", "姓名,城市\n王五,成都\n赵六,重庆\n")
        let before = export(store)
        let changes = status(store)["changes"].flatMap(intValue)
        let output = qun(["import", "members", file.path, "--dry-run"], store: store)
        XCTAssertTrue(output.contains("王五") && output.contains("赵六") && output.contains("成都"), output)
        XCTAssertTrue(output.contains("would import 2 members"), output)
        XCTAssertEqual(export(store), before)
        XCTAssertEqual(status(store)["changes"].flatMap(intValue), changes)
    }

    func testABadRowRefusesTheWholeFileWithLineNumbers() throws {
        let file = try write("bad.csv", "姓名,角色,邮箱,推荐人\n好人,,,\n\"两行\n的名字\",,,\n坏人,老板,,\n,core,,\n邮件,,bad-mail,\n孤儿,,,谁也不是\n")
        let result = assertRefused(["import", "members", file.path],
                                   stderrContains: ["line 5: invalid role '老板'", "line 6: name must not be empty",
                                                    "line 7: invalid email", "line 8: unknown referrer '谁也不是'", "--skip-bad"])
        XCTAssertFalse(result.stderr.contains("bad-mail"), "contact data stays out of messages")
        XCTAssertFalse(result.stderr.contains("line 2:") || result.stderr.contains("line 3:"))
        // A dry run reports the same and fails the same way.
        assertRefused(["import", "members", file.path, "--dry-run"], stderrContains: ["line 5:", "line 8:"])
    }

    func testSkipBadImportsTheGoodRowsAndListsTheBad() throws {
        let file = try write("mixed.csv", "姓名,状态\n甲,潜水\n乙,摸鱼\n丙,退群\n")
        let result = runQun(["import", "members", file.path, "--skip-bad"], store: store)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("line 3: invalid status '摸鱼'"), result.stderr)
        XCTAssertTrue(result.stdout.contains("imported 2 members"), result.stdout)
        let all = members()
        XCTAssertEqual(stringField(all["甲"], "status"), "quiet")
        XCTAssertEqual(stringField(all["丙"], "status"), "left")
        XCTAssertNil(all["乙"])
    }

    func testJSONReport() throws {
        let file = try write("j.csv", "姓名,积分,角色\n甲,1,\n乙,2,老板\n")
        // Rejected: the report on stdout, a non-zero exit, the rows on stderr.
        let rejected = runQun(["import", "members", file.path, "--map", "积分=-", "--json"], store: store)
        XCTAssertNotEqual(rejected.status, 0)
        XCTAssertTrue(rejected.stderr.contains("line 3:"))
        let report = try XCTUnwrap(jsonObject(rejected.stdout))
        XCTAssertEqual(Set(report.keys), ["file", "dry_run", "rejected", "rows", "good", "bad", "imported", "columns", "problems", "members", "same_name"])
        XCTAssertEqual(report["rejected"] as? Bool, true)
        XCTAssertEqual(report["rows"].flatMap(intValue), 2)
        XCTAssertEqual(report["bad"].flatMap(intValue), 1)
        XCTAssertEqual(report["imported"].flatMap(intValue), 0)
        XCTAssertEqual((report["members"] as? [Any])?.count, 0)
        let problems = try XCTUnwrap(report["problems"] as? [[String: Any]])
        XCTAssertEqual(problems.first?["line"].flatMap(intValue), 3)
        XCTAssertTrue((problems.first?["reason"] as? String)?.contains("老板") == true)
        let columns = try XCTUnwrap(report["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.map { $0["column"] as? String }, ["姓名", "积分", "角色"])
        XCTAssertEqual(columns[0]["field"] as? String, "name")
        XCTAssertTrue(columns[1]["field"] is NSNull, "an ignored column has field null")

        // Accepted with --skip-bad: members carry line, name, id and number.
        let accepted = try XCTUnwrap(jsonObject(qun(["import", "members", file.path, "--map", "积分=-", "--json", "--skip-bad"], store: store)))
        XCTAssertEqual(accepted["imported"].flatMap(intValue), 1)
        let imported = try XCTUnwrap((accepted["members"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(imported.keys), ["line", "name", "id", "number"])
        XCTAssertEqual(imported["line"].flatMap(intValue), 2)
        XCTAssertEqual(imported["id"] as? String, stringField(members()["甲"], "id"))
        XCTAssertEqual((accepted["same_name"] as? [Any])?.count, 0)
    }

    func testImportingAFileTwiceSaysSo() throws {
        let file = try write("twice.csv", "姓名\n甲\n乙\n")
        let first = runQun(["import", "members", file.path], store: store)
        XCTAssertEqual(first.stderr, "")
        let second = runQun(["import", "members", file.path, "--json"], store: store)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("lines 2, 3") && second.stderr.contains("qun undo"), second.stderr)
        XCTAssertEqual((jsonObject(second.stdout)?["same_name"] as? [Any])?.compactMap(intValue), [2, 3])
    }

    // MARK: Broken files

    func testUnterminatedQuoteIsRefused() throws {
        let file = try write("open.csv", "姓名,备注\n张三,ok\n李四,\"从这里开始\n王五,x\n")
        assertRefused(["import", "members", file.path], stderrContains: ["line 3", "quote", "nothing was imported"])
    }

    func testInvalidUTF8IsRefusedWithOffsetAndLine() throws {
        // 姓名 header in UTF-8, then 张三 in GBK (0xD5 0xC5 0xC8 0xFD).
        let header = Array("姓名\n".utf8)
        let file = try write("gbk.csv", header + [0xD5, 0xC5, 0xC8, 0xFD, 0x0A])
        assertRefused(["import", "members", file.path], stderrContains: ["UTF-8", "offset \(header.count)", "line 2"])
    }

    func testEmptyHeaderOnlyAndMissingFiles() throws {
        assertRefused(["import", "members", try write("empty.csv", "").path], stderrContains: ["empty"])
        assertRefused(["import", "members", try write("header.csv", "\u{FEFF}姓名,城市\r\n\r\n").path], stderrContains: ["no members"])
        assertRefused(["import", "members", path("nowhere.csv").path], stderrContains: ["no such file"])
        assertRefused(["import", "members", try write("m.csv", "姓名\n甲\n").path, "--map", "姓名"], stderrContains: ["COLUMN=FIELD"])
    }
}
