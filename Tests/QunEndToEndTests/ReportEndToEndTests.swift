import Foundation
import XCTest

/// Reports, check-ins and `member why` through the real binary, on a small club built with
/// the CLI. Every day is given explicitly (`--date`, `--today`, `--at`, `--joined`), in March
/// 2025, so nothing depends on when the tests run.
///
/// The club: 管理员 (admin, joined 2024-12-01), 张三 (kol, 2025-01-05), 李四 (core,
/// 2025-02-10), 王五 ← 张三, 赵六 ← 王五, 钱七 ← 赵六 (referral depth 3), 孙八 (quiet), all
/// members joined 2025-03-01. Check-ins: 张三 03-01 and 03-15, 李四 03-10. 线下读书会 on
/// 2025-03-08T14:00, target 10: 张三, 李四, 王五 signed up, 张三 and 李四 came. Tasks: 发预告 (林,
/// due 03-10), 复盘 (王, due 03-12, done).
final class ReportEndToEndTests: QunTestCase {
    private var store: URL!
    private var ids: [String: String] = [:]

    private func decayed(_ weight: Double, age: Double) -> Double { weight * pow(0.5, age / 30) }

    override func setUpWithError() throws {
        try super.setUpWithError()
        store = initStore("club", operator: "林")
        let members: [(String, [String])] = [
            ("管理员", ["--role", "admin", "--joined", "2024-12-01"]),
            ("张三", ["--role", "kol", "--joined", "2025-01-05"]),
            ("李四", ["--role", "core", "--joined", "2025-02-10"]),
            ("王五", ["--referrer", "张三", "--joined", "2025-03-01"]),
            ("赵六", ["--referrer", "王五", "--joined", "2025-03-01"]),
            ("钱七", ["--referrer", "赵六", "--joined", "2025-03-01"]),
            ("孙八", ["--status", "quiet", "--joined", "2025-03-01"]),
        ]
        for (name, options) in members { ids[name] = addMember(name, options, store: store) }
        qun(["member", "checkin", "张三", "--date", "2025-03-01"], store: store)
        qun(["member", "checkin", "张三", "李四", "--date", "2025-03-15", "--note", "共读第三章"], store: store)
        qun(["member", "checkin", "李四", "--date", "2025-03-10"], store: store)
        qun(["event", "add", "线下读书会", "--start", "2025-03-08T14:00", "--target", "10"], store: store)
        qun(["event", "signup", "线下读书会", "张三", "李四", "王五"], store: store)
        qun(["event", "attend", "线下读书会", "张三", "李四"], store: store)
        qun(["task", "add", "发预告", "--assignee", "林", "--due", "2025-03-10"], store: store)
        qun(["task", "add", "复盘", "--assignee", "王", "--due", "2025-03-12"], store: store)
        qun(["task", "done", "复盘"], store: store)
    }

    private func object(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        jsonObject(qun(arguments + ["--json"], store: store, file: file, line: line), file: file, line: line) ?? [:]
    }

    private func double(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    // MARK: Check-ins and why

    func testCheckinJSONCountsEveryCheckin() throws {
        let out = jsonArray(qun(["member", "checkin", "张三", "--date", "2025-03-16", "--note", "打卡", "--json"], store: store)) ?? []
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(Set(out[0].keys), ["checkins", "day", "id", "name", "note", "number"])
        XCTAssertEqual(out[0]["id"] as? String, ids["张三"])
        XCTAssertEqual(out[0]["day"] as? String, "2025-03-16")
        XCTAssertEqual(out[0]["note"] as? String, "打卡")
        XCTAssertEqual(out[0]["checkins"].flatMap(intValue), 3)
        let text = qun(["member", "checkin", "李四", "--date", "2025-03-16"], store: store)
        XCTAssertTrue(text.contains("李四 on 2025-03-16 (3 check-ins)"), text)
    }

    func testWhyExplainsTheScoreAndItsLinesAddUp() throws {
        let why = object(["member", "why", "张三", "--at", "2025-03-20"])
        XCTAssertEqual(Set(why.keys), ["at", "contributions", "formula", "id", "name", "number", "score"])
        let lines = try XCTUnwrap(why["contributions"] as? [[String: Any]])
        XCTAssertEqual(lines.map { $0["kind"] as? String }, ["checkin", "attendance", "checkin"])
        XCTAssertEqual(lines.map { $0["day"] as? String }, ["2025-03-15", "2025-03-08", "2025-03-01"])
        XCTAssertEqual(lines.map { $0["age_days"].flatMap(intValue) }, [5, 12, 19])
        XCTAssertEqual(Set(lines[0].keys), ["age_days", "count", "counted", "day", "detail", "kind", "value", "weight"])
        let expected = decayed(2, age: 5) + decayed(5, age: 12) + decayed(2, age: 19)
        let score = try XCTUnwrap(double(why["score"]))
        XCTAssertEqual(score, expected, accuracy: 1e-4)
        XCTAssertEqual(lines.compactMap { double($0["value"]) }.reduce(0, +), score, accuracy: 3e-4)
        let formula = try XCTUnwrap(why["formula"] as? [String: Any])
        XCTAssertEqual(double(formula["half_life_days"]), 30)

        let text = qun(["member", "why", "张三", "--at", "2025-03-20"], store: store)
        XCTAssertTrue(text.contains("0.5^(age in days / 30)"), text)
        XCTAssertTrue(text.contains("线下读书会"), text)
        XCTAssertTrue(text.contains(String(format: "%.3f", expected)), text)
        // Before anything happened there is nothing to explain.
        XCTAssertTrue(qun(["member", "why", "张三", "--at", "2025-02-01"], store: store).contains("nothing counts yet"))
    }

    // MARK: Reports

    func testPyramid() throws {
        let report = object(["report", "pyramid"])
        XCTAssertEqual(Set(report.keys), ["admins", "levels", "tolerance", "total", "unclassified"])
        XCTAssertEqual(report["total"].flatMap(intValue), 6)
        XCTAssertEqual(report["admins"].flatMap(intValue), 1)
        let levels = try XCTUnwrap(report["levels"] as? [[String: Any]])
        XCTAssertEqual(levels.map { $0["role"] as? String }, ["kol", "core", "member"])
        XCTAssertEqual(levels.map { $0["count"].flatMap(intValue) }, [1, 1, 4])
        XCTAssertEqual(levels.map { $0["verdict"] as? String }, ["above", "within", "within"])
        XCTAssertEqual(levels[0]["text"] as? String, "KOL 16.7% above the 5% guide")
        XCTAssertEqual(Set(levels[0].keys), ["count", "guide", "role", "share", "text", "verdict"])
        let text = qun(["report", "pyramid"], store: store)
        XCTAssertTrue(text.contains("KOL 16.7% above the 5% guide"), text)
        XCTAssertTrue(text.contains("1 admin not counted"), text)
    }

    func testLeaderboard() throws {
        let report = object(["report", "leaderboard", "--month", "2025-03", "--today", "2025-03-20"])
        XCTAssertEqual(Set(report.keys), ["entries", "formula", "month", "ranking", "reference", "scored", "top"])
        XCTAssertEqual(report["ranking"] as? String, "score")
        XCTAssertEqual(report["reference"] as? String, "2025-03-31")
        let entries = try XCTUnwrap(report["entries"] as? [[String: Any]])
        // 李四's second check-in is newer than 张三's: 李四 leads.
        XCTAssertEqual(entries.map { $0["name"] as? String }, ["李四", "张三"])
        XCTAssertEqual(Set(entries[0].keys), ["contributions", "id", "messages", "name", "number", "rank", "role", "score"])
        // Aged to 03-31: 张三 checked in 03-01 (30 days) and 03-15 (16), came on 03-08 (23);
        // 李四 checked in 03-10 (21) and 03-15 (16), came on 03-08.
        let zhang = decayed(2, age: 30) + decayed(2, age: 16) + decayed(5, age: 23)
        let li = decayed(2, age: 21) + decayed(2, age: 16) + decayed(5, age: 23)
        XCTAssertEqual(double(entries[0]["score"])!, li, accuracy: 1e-4)   // 5.5519
        XCTAssertEqual(double(entries[1]["score"])!, zhang, accuracy: 1e-4) // 5.3208
        XCTAssertEqual(entries.map { $0["rank"].flatMap(intValue) }, [1, 2])

        let top1 = object(["report", "leaderboard", "--month", "2025-03", "--top", "1", "--today", "2025-03-20"])
        XCTAssertEqual((top1["entries"] as? [Any])?.count, 1)
        XCTAssertEqual(top1["scored"].flatMap(intValue), 2)

        // The table lines the SCORE column up under its header, Chinese names and all.
        let text = qun(["report", "leaderboard", "--month", "2025-03", "--today", "2025-03-20"], store: store)
        let lines = text.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.first)
        let edge = displayWidth(String(header[..<header.range(of: "SCORE")!.upperBound]))
        for row in lines.dropFirst(2).prefix(2) {
            let score = try XCTUnwrap(row.range(of: #"\d+\.\d\d"#, options: .regularExpression), row)
            XCTAssertEqual(displayWidth(String(row[..<score.upperBound])), edge, row)
        }
    }

    func testReferrals() throws {
        let report = object(["report", "referrals"])
        XCTAssertEqual(Set(report.keys), ["members", "referrers", "warning_depth", "warnings"])
        let referrers = try XCTUnwrap(report["referrers"] as? [[String: Any]])
        XCTAssertEqual(referrers.map { $0["name"] as? String }, ["张三", "王五", "赵六"])
        XCTAssertEqual(referrers.map { $0["direct"].flatMap(intValue) }, [1, 1, 1])
        let members = try XCTUnwrap(report["members"] as? [[String: Any]])
        XCTAssertEqual(members.map { $0["name"] as? String }, ["钱七", "赵六", "王五"])
        XCTAssertEqual(members.map { $0["depth"].flatMap(intValue) }, [3, 2, 1])
        let warnings = try XCTUnwrap(report["warnings"] as? [[String: Any]])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings[0]["chain"] as? [String], ["张三", "王五", "赵六", "钱七"].map { ids[$0]! })
        let text = qun(["report", "referrals"], store: store)
        XCTAssertTrue(text.contains("warning: 钱七 is 3 levels down: 张三 → 王五 → 赵六 → 钱七"), text)
    }

    func testChurn() throws {
        let report = object(["report", "churn", "--months", "4", "--today", "2025-03-20"])
        let months = try XCTUnwrap(report["months"] as? [[String: Any]])
        XCTAssertEqual(months.map { $0["month"] as? String }, ["2024-12", "2025-01", "2025-02", "2025-03"])
        XCTAssertEqual(months.map { $0["joined"].flatMap(intValue) }, [1, 1, 1, 4])
        // 孙八 was added quiet today (real time), outside these months.
        XCTAssertEqual(months.map { $0["quiet"].flatMap(intValue) }, [0, 0, 0, 0])
        XCTAssertEqual(Set(months[0].keys), ["joined", "left", "month", "quiet"])
        let text = qun(["report", "churn", "--months", "4", "--today", "2025-03-20"], store: store)
        XCTAssertTrue(text.contains("total"), text)
    }

    func testEvents() throws {
        let report = object(["report", "events"])
        let events = try XCTUnwrap(report["events"] as? [[String: Any]])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(Set(events[0].keys), ["attendance", "fill_rate", "id", "phase", "show_up_rate", "signups", "start", "target", "title"])
        XCTAssertEqual(events[0]["title"] as? String, "线下读书会")
        XCTAssertEqual(events[0]["target"].flatMap(intValue), 10)
        XCTAssertEqual(events[0]["signups"].flatMap(intValue), 3)
        XCTAssertEqual(events[0]["attendance"].flatMap(intValue), 2)
        XCTAssertEqual(double(events[0]["fill_rate"])!, 0.3, accuracy: 1e-9)
        XCTAssertEqual(double(events[0]["show_up_rate"])!, 0.6667, accuracy: 1e-9)
        let text = qun(["report", "events"], store: store)
        XCTAssertTrue(text.contains("30.0%") && text.contains("66.7%"), text)
    }

    func testOverdue() throws {
        let report = object(["report", "overdue", "--today", "2025-03-20"])
        XCTAssertEqual(Set(report.keys), ["assignees", "today", "total"])
        XCTAssertEqual(report["total"].flatMap(intValue), 1)
        let groups = try XCTUnwrap(report["assignees"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["assignee"] as? String }, ["林"])
        let oldest = try XCTUnwrap(groups[0]["oldest"] as? [String: Any])
        XCTAssertEqual(oldest["title"] as? String, "发预告")
        XCTAssertEqual(oldest["days_late"].flatMap(intValue), 10)
        XCTAssertEqual(Set(oldest.keys), ["days_late", "due", "id", "status", "title"])
        // On the due day itself nothing is late yet.
        XCTAssertEqual(object(["report", "overdue", "--today", "2025-03-10"])["total"].flatMap(intValue), 0)
    }

    // MARK: Bad input

    func testBadArgumentsFailWithAMessageAndChangeNothing() {
        let before = export(store)
        qunFails(["report", "nosuch"], store: store, stderrContains: ["nosuch", "qun report --help"])
        qunFails(["report", "pyramd"], store: store, stderrContains: ["did you mean `qun report pyramid`"])
        qunFails(["report", "leaderboard", "--month", "2026-13"], store: store, stderrContains: ["2026-13", "YYYY-MM"])
        qunFails(["report", "leaderboard", "--top", "0"], store: store, stderrContains: ["--top"])
        qunFails(["report", "churn", "--months", "0"], store: store, stderrContains: ["--months"])
        qunFails(["report", "overdue", "--today", "someday"], store: store, stderrContains: ["someday"])
        qunFails(["member", "why", "张三", "--at", "2025-02-30"], store: store, stderrContains: ["2025-02-30"])
        qunFails(["member", "why", "nobody"], store: store, stderrContains: ["nobody"])
        qunFails(["member", "checkin", "张三", "--date", "2999-01-01"], store: store, stderrContains: ["earlier day"])
        qunFails(["member", "checkin", "张三", "nobody"], store: store, stderrContains: ["nobody"])
        qunFails(["member", "checkin"], store: store)
        XCTAssertEqual(export(store), before)
    }
}

/// Terminal columns of a string: East Asian wide characters take two.
private func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let v = scalar.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        return width + (wide ? 2 : 1)
    }
}
