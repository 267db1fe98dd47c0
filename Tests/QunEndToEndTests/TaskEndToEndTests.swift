import Foundation
import XCTest

/// `qun task ...` through the real binary: every verb, `--json` shapes, filters, date words,
/// recurring tasks carried between two laptops by bundle, and bad input that changes nothing.
final class TaskEndToEndTests: QunTestCase {
    static let taskKeys: Set<String> = [
        "id", "title", "assignee", "due", "status", "priority", "tags", "event", "offset", "recur", "until",
        "template", "date", "completed", "note_count", "created", "deleted", "urgency",
    ]

    /// The day `offset` days from today on this machine's wall clock and zone, as qun sees it.
    private func day(_ offset: Int = 0) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    private func add(_ title: String, _ options: [String] = [], store: URL, file: StaticString = #filePath, line: UInt = #line) -> String {
        let id = qun(["task", "add", title] + options, store: store, file: file, line: line)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 32, "task add prints the id: \(id)", file: file, line: line)
        return id
    }

    private func assertTaskShape(_ task: [String: Any]?, extra: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) {
        guard let task else { return XCTFail("no task object", file: file, line: line) }
        XCTAssertEqual(Set(task.keys), Self.taskKeys.union(extra), "task keys", file: file, line: line)
        XCTAssertNotNil(task["tags"] as? [Any], "tags is an array", file: file, line: line)
        XCTAssertNotNil(task["deleted"] as? Bool, "deleted is a boolean", file: file, line: line)
        XCTAssertNotNil(task["urgency"] as? NSNumber, "urgency is a number", file: file, line: line)
        for key in ["assignee", "due", "priority", "event", "recur", "until", "template", "date", "completed"] {
            let value = task[key]
            XCTAssertTrue(value is String || value is NSNull, "\(key) is a string or null", file: file, line: line)
        }
    }

    func testAddEditShowAndJSON() throws {
        let store = initStore("s", operator: "林晓")
        let added = jsonObject(qun(["task", "add", "发活动预告 📣", "--assignee", "林晓", "--due", "tomorrowT20:00",
                                    "--priority", "h", "--tag", "内容", "--tag", "next", "--note", "先发群公告", "--json"], store: store))
        assertTaskShape(added)
        XCTAssertEqual(added?["title"] as? String, "发活动预告 📣")
        XCTAssertEqual(added?["due"] as? String, "\(day(1))T20:00")
        XCTAssertEqual(added?["priority"] as? String, "H")
        XCTAssertEqual(added?["status"] as? String, "todo")
        XCTAssertEqual(added?["tags"] as? [String], ["next", "内容"])
        XCTAssertEqual(added?["note_count"] as? Int, 1)
        XCTAssertTrue(added?["offset"] is NSNull)
        let id = try XCTUnwrap(added?["id"] as? String)

        let edited = jsonObject(qun(["task", "edit", String(id.prefix(6)), "--assignee", "王芳", "--due", "+3d",
                                     "--untag", "next", "--tag", "紧急", "--json"], store: store))
        XCTAssertEqual(edited?["assignee"] as? String, "王芳")
        XCTAssertEqual(edited?["due"] as? String, day(3))
        XCTAssertEqual(edited?["tags"] as? [String], ["内容", "紧急"])
        XCTAssertEqual(edited?["title"] as? String, "发活动预告 📣", "untouched")

        qun(["task", "log", "发活动预告 📣", "海报初稿", "已发群里"], store: store)
        let shown = jsonObject(qun(["task", "show", id, "--json"], store: store))
        assertTaskShape(shown, extra: ["notes"])
        let notes = shown?["notes"] as? [[String: Any]]
        XCTAssertEqual(notes?.map { $0["text"] as? String }, ["先发群公告", "海报初稿 已发群里"])
        XCTAssertEqual(notes?.first?["operator"] as? String, "林晓")

        let text = qun(["task", "show", String(id.prefix(8))], store: store)
        XCTAssertTrue(text.contains("王芳") && text.contains("海报初稿"), text)
    }

    func testStatusVerbsRemoveRestoreAndLists() throws {
        let store = initStore("s", operator: "林晓")
        let late = add("补发红包", ["--due", "-2d", "--assignee", "王芳", "--tag", "福利"], store: store)
        let soon = add("订场地", ["--due", "tomorrow", "--assignee", "林晓", "--priority", "H"], store: store)
        let later = add("写复盘", ["--due", "+10d", "--assignee", "林晓", "--tag", "复盘"], store: store)

        XCTAssertTrue(qun(["task", "start", soon], store: store).hasPrefix("started"))
        XCTAssertEqual(jsonObject(qun(["task", "show", soon, "--json"], store: store))?["status"] as? String, "doing")
        let done = jsonObject(qun(["task", "done", late, "--json"], store: store))
        XCTAssertEqual(done?["status"] as? String, "done")
        XCTAssertEqual(done?["completed"] as? String, day())

        func listed(_ arguments: [String]) -> [String] {
            (jsonArray(qun(["task", "list", "--json"] + arguments, store: store)) ?? []).compactMap { $0["id"] as? String }
        }
        XCTAssertEqual(listed([]), [soon, later], "done tasks are hidden, by due")
        XCTAssertEqual(listed(["status:done"]), [late])
        XCTAssertEqual(listed(["--all"]), [late, soon, later])
        XCTAssertEqual(listed(["assignee:林晓", "+复盘"]), [later])
        XCTAssertEqual(listed(["due.before:+5d"]), [soon])
        XCTAssertEqual(listed(["-复盘"]), [soon])
        XCTAssertEqual(listed(["场地"]), [soon], "a bare word matches the title")

        let next = jsonArray(qun(["task", "next", "--json"], store: store)) ?? []
        XCTAssertEqual(next.compactMap { $0["id"] as? String }, [soon, later], "most urgent first")
        XCTAssertGreaterThan((next.first?["urgency"] as? NSNumber)?.doubleValue ?? 0, (next.last?["urgency"] as? NSNumber)?.doubleValue ?? 0)
        let bare = qun(["task"], store: store)
        XCTAssertTrue(bare.contains("订场地") && bare.contains("URG"), "`qun task` shows next:\n\(bare)")

        qun(["task", "drop", later], store: store)
        XCTAssertEqual(listed(["status:dropped"]), [later])
        XCTAssertTrue(qun(["task", "rm", soon], store: store).contains("task restore"))
        XCTAssertEqual(listed([]), [])
        qunFails(["task", "done", soon], store: store, stderrContains: ["deleted", "restore"])
        let restored = jsonObject(qun(["task", "restore", String(soon.prefix(8)), "--json"], store: store))
        XCTAssertEqual(restored?["deleted"] as? Bool, false)
        XCTAssertEqual(listed([]), [soon])
    }

    func testTableAlignsChineseByDisplayWidth() {
        let store = initStore("s", operator: "林晓")
        add("整理群规", ["--assignee", "王芳", "--due", "tomorrow", "--tag", "规则"], store: store)
        add("Weekly digest", ["--assignee", "Chen", "--due", "+2d"], store: store)
        let lines = qun(["task", "list"], store: store).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
        let header = lines[0]
        let titleColumn = UnicodeTableTests.width(header[..<header.range(of: "TITLE")!.lowerBound])
        for row in lines[2...3] {
            let starts = UnicodeTableTests.wordStarts(row)
            XCTAssertTrue(starts.contains(titleColumn), "the title starts at display column \(titleColumn) in \(row)")
        }
        XCTAssertEqual(lines.last, "2 tasks")
    }

    func testBadInputIsRefusedAndChangesNothing() {
        let store = initStore("s", operator: "林晓")
        let id = add("订场地", ["--due", "fri"], store: store)
        let before = export(store)
        qunFails(["task", "add", "x", "--due", "someday"], store: store, stderrContains: ["someday", "tomorrow", "+3d"])
        qunFails(["task", "edit", id, "--due", "2026-02-30"], store: store, stderrContains: ["2026-02-30"])
        qunFails(["task", "add", "x", "--priority", "urgent"], store: store, stderrContains: ["priority", "H, M, L"])
        qunFails(["task", "add", "x", "--until", "eom"], store: store, stderrContains: ["--recur"])
        qunFails(["task", "add", "  "], store: store, stderrContains: ["title"])
        qunFails(["task", "add", "x", "--offset", "-3"], store: store, stderrContains: ["--event"])
        qunFails(["task", "add", "x", "--event", "abcd"], store: store, stderrContains: ["no event"])
        qunFails(["task", "list", "due.befor:fri"], store: store, stderrContains: ["due.before"])
        qunFails(["task", "list", "due:whenever"], store: store, stderrContains: ["whenever"])
        qunFails(["task", "list", "-7d"], store: store, stderrContains: ["due.after:-7d"])
        qunFails(["task", "done", "没有这个任务"], store: store, stderrContains: ["no task"])
        qunFails(["task", "edit", id], store: store, stderrContains: ["nothing to change"])
        XCTAssertEqual(export(store), before, "nothing was written")
    }

    func testRecurringTaskInstancesDoNotDuplicateAcrossLaptops() {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        let template = add("早安推送", ["--recur", "daily", "--due=-2dT08:00", "--tag", "例行", "--assignee", "林晓"], store: a)
        carry(from: a, to: b, named: "a1.qun")
        func instances(_ store: URL, _ env: [String: String], _ filters: [String] = []) -> [[String: Any]] {
            jsonArray(qun(["task", "list", "template:\(template.prefix(8))", "--json"] + filters, store: store, env: env)) ?? []
        }
        let now: [String: String] = [:]
        XCTAssertEqual(instances(a, now).count, 4, "two days ago up to today, and tomorrow")
        XCTAssertEqual(instances(a, now).first?["due"] as? String, "\(day(-2))T08:00")
        XCTAssertEqual(instances(b, now).first?["title"] as? String, "早安推送")
        // Two days later both laptops, offline, make the days that are missing by then.
        let later = ["QUN_CLOCK_OFFSET_MS": String(2 * 86_400_000)]
        let onA = instances(a, later)
        let onB = instances(b, later)
        XCTAssertEqual(onA.count, 6)
        XCTAssertEqual(onA.compactMap { $0["id"] as? String }, onB.compactMap { $0["id"] as? String }, "the same ids on both laptops")
        let dayAfterTomorrow = onB.first { ($0["date"] as? String) == day(2) }?["id"] as? String
        qun(["task", "done", dayAfterTomorrow ?? "missing"], store: b, env: later)
        qun(["bundle", "export", path("b1.qun").path], store: b, env: later)
        qun(["bundle", "import", path("b1.qun").path], store: a, env: later)
        qun(["bundle", "export", path("a2.qun").path], store: a, env: later)
        qun(["bundle", "import", path("a2.qun").path], store: b, env: later)
        XCTAssertEqual(export(a, env: later), export(b, env: later), "converged")
        let merged = instances(a, later, ["status:any"])
        XCTAssertEqual(merged.count, 6, "no duplicates")
        XCTAssertEqual(merged.first { ($0["id"] as? String) == dayAfterTomorrow }?["status"] as? String, "done", "B's done survived A's generation")
        // The template itself shows only when asked for.
        let templates = jsonArray(qun(["task", "list", "recur:daily", "--json"], store: a, env: later)) ?? []
        XCTAssertEqual(templates.compactMap { $0["id"] as? String }, [template])
        XCTAssertEqual(templates.first?["recur"] as? String, "daily")
    }
}
