import Foundation
import XCTest

/// `qun post …` through the real binary: the content calendar, the fifth kind of record, with
/// the same show/rm/restore and errors as the others, and a routine's days made once per day.
final class PostEndToEndTests: QunTestCase {
    func testAddListDueDoneShowRemoveRestoreWithJSON() throws {
        let store = initStore("s", operator: "林晓")
        let template = qun(["template", "add", "早安", "--text", "早安，{today}！"], store: store).trimmingCharacters(in: .whitespacesAndNewlines)
        let id = qun(["post", "add", "早安", "--at", "todayT00:00", "--recur", "daily", "--template", "早安", "--channel", "读书会1群"], store: store)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 32, id)
        qun(["post", "add", "周六活动预告", "--at", "tomorrowT20:00", "--owner", "王芳"], store: store)

        // Today's and tomorrow's days of the routine, and the single post.
        let listed = try XCTUnwrap(jsonArray(qun(["post", "list", "--json"], store: store)))
        XCTAssertEqual(listed.count, 3)
        XCTAssertEqual(listed[0].keys.sorted(), ["at", "channel", "date", "deleted", "done", "id", "message", "message_name",
                                                  "owner", "recur", "template", "title", "until"])
        XCTAssertEqual(listed.filter { stringField($0, "template") == id }.count, 2)
        XCTAssertTrue(listed.filter { stringField($0, "template") == id }.allSatisfy {
            stringField($0, "message") == template && stringField($0, "message_name") == "早安" && stringField($0, "channel") == "读书会1群"
        })
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["post", "list", "owner:王芳", "--json"], store: store))).map { stringField($0, "title") },
                       ["周六活动预告"])
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["post", "list", "due:today", "--json"], store: store))).count, 1)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["post", "list", "channel:读书会1群", "due.after:today", "--json"], store: store))).count, 1)
        XCTAssertEqual(qun(["post", "list", "--all"], store: store).split(separator: "\n").last, "4 posts")

        // Due now: today's morning post, for everyone.
        let due = try XCTUnwrap(jsonArray(qun(["post", "due", "--json"], store: store)))
        XCTAssertEqual(due.map { stringField($0, "title") }, ["早安"])
        let done = try XCTUnwrap(jsonObject(qun(["post", "done", "早安", "--json"], store: store)))
        XCTAssertEqual(stringField(done, "template"), id)
        XCTAssertNotNil(stringField(done, "done"))
        XCTAssertEqual(qun(["post", "due"], store: store), "nothing to post now (see what is planned with `qun post list`)\n")
        qunFails(["post", "done", String((stringField(done, "id") ?? "").prefix(8))], store: store, stderrContains: ["done already"])
        qunFails(["post", "done", id], store: store, stderrContains: ["recurring post", "post list template:"])

        let edited = try XCTUnwrap(jsonObject(qun(["post", "edit", "周六活动预告", "--owner", "", "--channel", "2群", "--json"], store: store)))
        XCTAssertTrue(edited["owner"] is NSNull)
        XCTAssertEqual(stringField(edited, "channel"), "2群")
        XCTAssertTrue(qun(["post", "show", "周六活动预告"], store: store).contains("channel   2群"))
        XCTAssertTrue(qun(["post", "show", id], store: store).contains("早安，{today}！"), "show prints the template's text")

        // The generic record commands.
        let removed = qun(["post", "rm", "周六活动预告"], store: store)
        XCTAssertTrue(removed.hasPrefix("deleted "), removed)
        XCTAssertTrue(removed.contains("qun post restore"), removed)
        qunFails(["post", "edit", "周六活动预告", "--owner", "x"], store: store, stderrContains: ["is deleted", "qun post restore"])
        let restored = try XCTUnwrap(jsonObject(qun(["post", "restore", "周六活动预告", "--json"], store: store)))
        XCTAssertEqual(restored["deleted"] as? Bool, false)
        qunFails(["post", "show", "没有"], store: store,
                 stderrContains: ["no post matches '没有': give an id prefix (4+ characters) or the exact title (see `qun post list --all`)"])
    }

    func testBadInputFailsClearlyAndChangesNothing() throws {
        let store = initStore("s", operator: "林晓")
        qun(["post", "add", "早安", "--at", "2026-12-03T08:00"], store: store)
        let before = qun(["export", "--format", "json"], store: store)
        qunFails(["post", "add", "x", "--at", "2026-12-03T8pm"], store: store, stderrContains: ["invalid at '2026-12-03T8pm'", "date word"])
        qunFails(["post", "add", "x", "--at", "2026-12-03"], store: store, stderrContains: ["a day and a time"])
        qunFails(["post", "add", "x", "--at", "todayT20:00", "--template", "没有的模板"], store: store,
                 stderrContains: ["no template matches '没有的模板'", "qun template list"])
        qunFails(["post", "add", "x", "--at", "todayT20:00", "--until", "eom"], store: store, stderrContains: ["--until needs --recur"])
        qunFails(["post", "add", "x", "--at", "todayT20:00", "--recur", "monthly"], store: store, stderrContains: ["daily or weekly"])
        qunFails(["post", "edit", "早安"], store: store, stderrContains: ["nothing to change", "--at"])
        qunFails(["post", "edit", "早安", "--at", ""], store: store, stderrContains: ["needs a time", "--at"])
        qunFails(["post", "list", "assignee:林晓"], store: store, stderrContains: ["unknown filter 'assignee:'", "owner:"])
        qunFails(["post", "export"], store: store, stderrContains: ["--ics"])
        XCTAssertEqual(qun(["export", "--format", "json"], store: store), before)
    }

    func testExportWritesTheCalendar() throws {
        let store = initStore("s", operator: "林晓")
        qun(["post", "add", "早安", "--at", "2026-12-01T08:00", "--recur", "weekly", "--until", "2026-12-31", "--channel", "读书会1群"], store: store)
        qun(["post", "add", "周六活动预告；报名", "--at", "2026-12-05T20:00", "--owner", "王芳"], store: store)
        let text = qun(["post", "export", "--ics"], store: store, env: ["TZ": "Asia/Shanghai"])
        let lines = text.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.first, "BEGIN:VCALENDAR")
        XCTAssertEqual(lines.suffix(2), ["END:VCALENDAR", ""], "CRLF line ends")
        XCTAssertTrue(lines.contains("PRODID:-//qun//qun content calendar//EN"))
        XCTAssertTrue(lines.contains("RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z"), text)
        XCTAssertTrue(lines.contains("DTSTART:20261205T120000Z"), "20:00 in Shanghai is 12:00 UTC: \(text)")
        XCTAssertTrue(lines.contains("SUMMARY:周六活动预告；报名"))
        XCTAssertTrue(lines.contains("LOCATION:读书会1群"))
        let file = path("内容规划.ics")
        let result = runQun(["post", "export", "--ics", "--output", file.path], store: store, env: ["TZ": "Asia/Shanghai"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), text)
    }

    func testTwoLaptopsMakingTheSameDayOfflineHoldOneAfterSync() throws {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        let routine = qun(["post", "add", "早安", "--at", "todayT00:00", "--recur", "daily"], store: a).trimmingCharacters(in: .whitespacesAndNewlines)
        // b hears of the routine, then both make the next days offline.
        let first = path("a0.qunbundle")
        qun(["bundle", "export", first.path], store: a)
        qun(["bundle", "import", first.path], store: b)
        let later = ["QUN_CLOCK_OFFSET_MS": String(2 * 86_400_000)]
        qun(["post", "list"], store: a, env: later)
        qun(["post", "done", "早安"], store: b, env: later)
        for (from, to, name) in [(a, b, "ab"), (b, a, "ba")] {
            qun(["bundle", "export", path(name).path], store: from, env: later)
            qun(["bundle", "import", path(name).path], store: to, env: later)
        }
        let listA = try XCTUnwrap(jsonArray(qun(["post", "list", "--all", "template:\(routine.prefix(8))", "--json"], store: a, env: later)))
        let listB = try XCTUnwrap(jsonArray(qun(["post", "list", "--all", "template:\(routine.prefix(8))", "--json"], store: b, env: later)))
        XCTAssertEqual(listA.count, 4, "today to the day after tomorrow, and the one after: once each")
        XCTAssertEqual(Set(listA.compactMap { stringField($0, "date") }).count, 4)
        XCTAssertEqual(listA.map { stringField($0, "id") }, listB.map { stringField($0, "id") })
        XCTAssertEqual(listA.filter { stringField($0, "done") != nil }.count, 1, "b's done is kept on a")
        XCTAssertEqual(qun(["export", "--format", "json"], store: a, env: later), qun(["export", "--format", "json"], store: b, env: later))
    }

    func testTheReplCompletesAndRunsPostCommands() throws {
        let store = initStore("s", operator: "林晓")
        let script = """
            template add 早安 --text '早安！'
            post add 晚安推送 --at tomorrowT22:00 --template 早安 --channel 读书会1群
            post show 晚安推送
            post rm 晚安推送
            post restore 晚安推送
            post list --json
            """
        let result = runQun(["repl"], store: store, stdin: script)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("读书会1群"), result.stdout)
        XCTAssertTrue(result.stdout.contains("restored "), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"message_name\""), result.stdout)
    }
}
