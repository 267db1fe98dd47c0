import Foundation
import XCTest

/// `qun event …` through the real binary: each verb family, its `--json`, the human table,
/// bad input, and the iCalendar export.
final class EventEndToEndTests: QunTestCase {
    private func eventStore() -> (store: URL, event: String) {
        let store = initStore("s", operator: "林")
        for name in ["张三", "李四", "王五"] { qun(["member", "add", name], store: store) }
        let id = qun(["event", "add", "读书会线下见面", "--kind", "offline", "--city", "杭州", "--place", "晓书馆, 二楼",
                      "--start", "2026-12-12T14:00", "--end", "2026-12-12T17:00", "--target", "50", "--budget", "3000",
                      "--purpose", "让线上书友见面", "--rules", "实名报名", "--rewards", "签到送书签"], store: store)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 32, id)
        return (store, id)
    }

    func testAddEditListShowWithJSON() throws {
        let (store, id) = eventStore()
        let added = try XCTUnwrap(jsonObject(qun(["event", "show", String(id.prefix(6)), "--json"], store: store)))
        let keys = ["achieved_count", "attendance", "attendance_count", "budget", "city", "deleted", "end", "id", "keep_count",
                    "kind", "missed_count", "phase", "place", "purpose", "retrospective", "rewards", "rules", "run_sheet",
                    "signup_count", "signups", "start", "target", "title", "walk_ins"]
        XCTAssertEqual(added.keys.sorted(), keys)
        XCTAssertEqual(stringField(added, "phase"), "draft")
        XCTAssertEqual(stringField(added, "place"), "晓书馆, 二楼")
        XCTAssertEqual(added["budget"].flatMap(intValue), 3000)
        XCTAssertEqual(added["target"].flatMap(intValue), 50)

        let edited = try XCTUnwrap(jsonObject(qun(["event", "edit", "读书会线下见面", "--place", "", "--title", "读书会 第一期", "--json"], store: store)))
        XCTAssertTrue(edited["place"] is NSNull, "cleared fields are null")
        XCTAssertEqual(stringField(edited, "title"), "读书会 第一期")
        XCTAssertEqual(stringField(edited, "city"), "杭州")

        qun(["event", "add", "Online reading 线上共读", "--kind", "online", "--start", "2026-12-01T20:00"], store: store)
        let listed = try XCTUnwrap(jsonArray(qun(["event", "list", "--json"], store: store)))
        XCTAssertEqual(listed.map { stringField($0, "title") }, ["Online reading 线上共读", "读书会 第一期"], "by start")
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["event", "list", "kind:offline", "city:杭州", "--json"], store: store))).count, 1)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["event", "list", "after:2026-12-05", "--json"], store: store))).count, 1)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["event", "list", "reading", "--json"], store: store))).count, 1)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["event", "list", "phase:prep", "--json"], store: store))).count, 0)

        // The table lines up by display width: every header title starts at the same column
        // as its cells.
        let table = qun(["event", "list"], store: store).split(separator: "\n").map(String.init)
        XCTAssertEqual(table.last, "2 events")
        let header = table[0]
        let titleColumn = UnicodeTableTests.width(header[..<header.range(of: "TITLE")!.lowerBound])
        let phaseColumn = UnicodeTableTests.width(header[..<header.range(of: "PHASE")!.lowerBound])
        for row in table[2..<4] {
            XCTAssertEqual(UnicodeTableTests.wordStarts(row).filter { $0 == titleColumn || $0 == phaseColumn }.count, 2, "misaligned:\n\(table.joined(separator: "\n"))")
        }
        let shown = qun(["event", "show", id], store: store)
        XCTAssertTrue(shown.contains("杭州") && shown.contains("50 sign-ups"), shown)
    }

    func testPhaseStepsAndARefusedJump() throws {
        let (store, id) = eventStore()
        let before = qun(["export", "--format", "json"], store: store)
        qunFails(["event", "phase", id, "live"], store: store, stderrContains: ["only to prep", "draft → prep"])
        qunFails(["event", "phase", id, "finished"], store: store, stderrContains: ["draft, prep, live, done, reviewed"])
        XCTAssertEqual(qun(["export", "--format", "json"], store: store), before, "a refused jump changes nothing")
        XCTAssertTrue(qun(["event", "phase", id, "prep"], store: store).contains("is now prep"))
        let json = try XCTUnwrap(jsonObject(qun(["event", "phase", id, "live", "--json"], store: store)))
        XCTAssertEqual(stringField(json, "phase"), "live")
        qunFails(["event", "review", id, "--achieved", "too early"], store: store, stderrContains: ["once it is done"])
        qun(["event", "phase", id, "done"], store: store)
        let reviewed = try XCTUnwrap(jsonObject(qun(["event", "review", id, "--achieved", "到场 46 人", "--missed", "签到拥堵",
                                                     "--keep", "提前一周提醒", "--mark-reviewed", "--json"], store: store)))
        XCTAssertEqual(stringField(reviewed, "phase"), "reviewed")
        XCTAssertEqual(reviewed["keep_count"].flatMap(intValue), 1)
        let shown = try XCTUnwrap(jsonObject(qun(["event", "show", id, "--json"], store: store)))
        let retro = try XCTUnwrap(shown["retrospective"] as? [String: Any])
        let achieved = try XCTUnwrap(retro["achieved"] as? [[String: Any]])
        XCTAssertEqual(achieved.map { stringField($0, "text") }, ["到场 46 人"])
        XCTAssertEqual(achieved.first.flatMap { stringField($0, "operator") }, "林")
        XCTAssertEqual(achieved.first?.keys.sorted(), ["at", "by", "operator", "text"])
        qunFails(["event", "review", id], store: store, stderrContains: ["--achieved"])
    }

    func testSignupAttendAndWalkInWarning() throws {
        let (store, id) = eventStore()
        let signed = try XCTUnwrap(jsonObject(qun(["event", "signup", id, "张三", "李四", "--json"], store: store)))
        XCTAssertEqual(signed["signup_count"].flatMap(intValue), 2)
        let attend = runQun(["event", "attend", id, "张三", "王五"], store: store)
        XCTAssertEqual(attend.status, 0, attend.stderr)
        XCTAssertTrue(attend.stderr.contains("王五"), "a walk-in is named on stderr: \(attend.stderr)")
        XCTAssertTrue(attend.stdout.contains("2 came"), attend.stdout)
        qun(["event", "unsignup", id, "李四"], store: store)
        qun(["event", "unattend", id, "王五"], store: store)
        let shown = try XCTUnwrap(jsonObject(qun(["event", "show", id, "--json"], store: store)))
        XCTAssertEqual(shown["signup_count"].flatMap(intValue), 1)
        XCTAssertEqual(shown["attendance_count"].flatMap(intValue), 1)
        qun(["member", "rm", "张三"], store: store)
        let afterDelete = try XCTUnwrap(jsonObject(qun(["event", "show", id, "--json"], store: store)))
        XCTAssertEqual(afterDelete["signup_count"].flatMap(intValue), 0, "a deleted member is not counted")
        qunFails(["event", "signup", id, "没有这个人"], store: store, stderrContains: ["没有这个人"])
        qunFails(["event", "signup", id], store: store)
    }

    func testRunSheetMovesWithTheEvent() throws {
        let (store, id) = eventStore()
        let venue = try XCTUnwrap(jsonObject(qun(["event", "task", id, "订场地", "--owner", "林", "--due", "-14d", "--priority", "H", "--json"], store: store)))
        XCTAssertEqual(stringField(venue, "due"), "2026-11-28")
        XCTAssertEqual(venue["offset"].flatMap(intValue), -14)
        XCTAssertEqual(stringField(venue, "event"), id)
        XCTAssertEqual(venue.keys.sorted(), ["due", "event", "id", "offset", "owner", "status", "title"])
        let poster = qun(["event", "task", id, "海报", "--due", "-10d"], store: store).trimmingCharacters(in: .whitespacesAndNewlines)
        qun(["task", "done", poster], store: store)
        qun(["event", "edit", id, "--start", "2026-12-19T14:00", "--end", "2026-12-19T17:00"], store: store)
        let shown = try XCTUnwrap(jsonObject(qun(["event", "show", id, "--json"], store: store)))
        let sheet = try XCTUnwrap(shown["run_sheet"] as? [[String: Any]])
        let dues = Dictionary(uniqueKeysWithValues: sheet.map { (stringField($0, "title")!, stringField($0, "due")!) })
        XCTAssertEqual(dues, ["订场地": "2026-12-05", "海报": "2026-12-02"], "only the unfinished task moved")
        let text = qun(["event", "show", id], store: store)
        XCTAssertTrue(text.contains("run-sheet:") && text.contains("订场地") && text.contains("-14d"), text)
        qunFails(["event", "task", id, "订场地", "--due", "someday"], store: store, stderrContains: ["due"])
        let undated = qun(["event", "add", "未定"], store: store).trimmingCharacters(in: .whitespacesAndNewlines)
        qunFails(["event", "task", undated, "订场地", "--due", "-7d"], store: store, stderrContains: ["no start", "--start"])
    }

    func testRemoveRestoreAndBadInput() throws {
        let (store, id) = eventStore()
        let removed = try XCTUnwrap(jsonObject(qun(["event", "rm", id, "--json"], store: store)))
        XCTAssertEqual(removed["deleted"] as? Bool, true)
        XCTAssertEqual(qun(["event", "list"], store: store).split(separator: "\n").last, "0 events")
        XCTAssertTrue(qun(["event", "show", "读书会线下见面"], store: store).contains("restore with"), "show still finds a deleted event")
        qunFails(["event", "edit", "读书会线下见面", "--city", "上海"], store: store, stderrContains: ["restore"])
        qunFails(["event", "rm", id], store: store, stderrContains: ["deleted"])
        let restored = try XCTUnwrap(jsonObject(qun(["event", "restore", String(id.prefix(8)), "--json"], store: store)))
        XCTAssertEqual(restored["deleted"] as? Bool, false)
        qunFails(["event", "restore", id], store: store, stderrContains: ["not deleted"])

        let before = qun(["export", "--format", "json"], store: store)
        qunFails(["event", "add", "坏活动", "--kind", "hybrid"], store: store, stderrContains: ["online or offline"])
        qunFails(["event", "add", "坏活动", "--start", "2026-13-01"], store: store, stderrContains: ["start"])
        qunFails(["event", "add", "坏活动", "--start", "2026-12-12", "--end", "2026-12-01"], store: store, stderrContains: ["before the start"])
        qunFails(["event", "add", "坏活动", "--target", "lots"], store: store, stderrContains: ["target"])
        qunFails(["event", "add", "  "], store: store, stderrContains: ["title"])
        qunFails(["event", "edit", id], store: store, stderrContains: ["nothing to change"])
        qunFails(["event", "list", "phase:ongoing"], store: store, stderrContains: ["phase"])
        qunFails(["event", "list", "colour:red"], store: store, stderrContains: ["unknown filter"])
        qunFails(["event", "show", "nope"], store: store, stderrContains: ["no event matches"])
        qunFails(["event", "export", id], store: store, stderrContains: ["--ics"])
        XCTAssertEqual(qun(["export", "--format", "json"], store: store), before, "refused commands change nothing")
    }

    func testICalendarExportIsValid() throws {
        let (store, id) = eventStore()
        qun(["event", "task", id, "订场地", "--owner", "林", "--due", "-14d"], store: store)
        let stdout = qun(["event", "export", id, "--ics"], store: store, env: ["TZ": "Asia/Shanghai"])
        XCTAssertTrue(stdout.hasPrefix("BEGIN:VCALENDAR\r\n"), stdout)
        XCTAssertTrue(stdout.contains("DTSTART:20261212T060000Z\r\n"), "14:00 in Shanghai is 06:00 UTC:\n\(stdout)")
        XCTAssertTrue(stdout.contains("LOCATION:晓书馆\\, 二楼\\, 杭州\r\n"), stdout)
        for line in stdout.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.utf8.count, 75, line)
        }
        let file = path("meetup.ics")
        qun(["event", "export", id, "--ics", "--output", file.path], store: store, env: ["TZ": "Asia/Shanghai"])
        let written = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(written.contains("UID:\(id)@qun\r\n"), written)
        qunFails(["event", "export", id, "--ics", "--output", path("missing/dir/x.ics").path], store: store, stderrContains: ["cannot write"])

        // A second, independent reader when it is installed.
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = [c for c in cal.walk('VEVENT')]
            todos = [c for c in cal.walk('VTODO')]
            assert len(events) == 1 and len(todos) == 1, (events, todos)
            e = events[0]
            print(str(e['SUMMARY']))
            print(str(e['LOCATION']))
            print(e.decoded('DTSTART').isoformat())
            print(str(todos[0]['SUMMARY']))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, file.path]
        let out = Pipe()
        python.standardOutput = out
        python.standardError = Pipe()
        do { try python.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        python.waitUntilExit()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard python.terminationStatus == 0 else {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", "import icalendar"]
            check.standardError = Pipe()
            try check.run()
            check.waitUntilExit()
            if check.terminationStatus != 0 { throw XCTSkip("the Python icalendar package is not installed (pip install icalendar)") }
            return XCTFail("icalendar rejected the export:\n\(written)")
        }
        XCTAssertEqual(output.split(separator: "\n").map(String.init),
                       ["读书会线下见面", "晓书馆, 二楼, 杭州", "2026-12-12T06:00:00+00:00", "订场地"])
    }
}
