import Foundation
import QunTestSupport
import XCTest

/// `qun import chat` and the reports it feeds, through real processes: a WeChat tool's CSV and
/// QQ's text export written as those tools write them, figures checked against sums worked
/// out by hand, two laptops that imported overlapping exports converging over HTTP, and bad
/// input refused with nothing changed.
final class ChatEndToEndTests: SyncTestCase {
    /// As MemoTrace (留痕) writes a group chat: its header, Type 10000 system rows, a
    /// multi-line message in quotes, emoji. 2024-01-01 is a Monday.
    static let wechatCSV = #"""
        localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
        1,12345678@chatroom,1,0,0,1704110400,2,早上好☀️,2024-01-01 20:00:00,,王芳,wxid_wangfang
        2,12345678@chatroom,1,0,0,1704111000,2,"第一行
        第二行",2024-01-01 20:10:00,,王芳,wxid_wangfang
        3,12345678@chatroom,10000,0,0,1704157200,2,"""王芳""邀请""赵六""加入了群聊",2024-01-02 09:00:00,,,
        4,12345678@chatroom,1,0,0,1704157500,2,收到 🎉,2024-01-02 09:05:00,,赵六,wxid_zhao6
        5,12345678@chatroom,10000,0,0,1704157560,2,"""赵六""撤回了一条消息",2024-01-02 09:06:00,,,
        6,12345678@chatroom,3,0,0,1704718800,2,[图片],2024-01-08 21:00:00,,路人乙,wxid_stranger

        """#

    static func qq(_ messages: [(String, String, String)]) -> String { QQExportText.file(messages) }

    /// Seven lines of a QQ group: 张三 (QQ 10001) 3 messages, 小王 2, 路人 1, a join, a recall.
    static let qqLines: [(String, String, String)] = [
        ("2024-01-01 20:01:05", "张三(10001)", "大家好"),
        ("2024-01-01 20:15:00", "小王🎉(10002)", "晚上好 🎉"),
        ("2024-01-01 20:30:00", "张三(10001)", "今天读到第三章\n\n明天继续"),
        ("2024-01-02 21:00:00", "张三(10001)", "[图片]"),
        ("2024-01-02 21:05:00", "系统消息(10000)", "李四加入本群。"),
        ("2024-01-02 21:06:00", "系统消息(10000)", "张三撤回了一条消息"),
        ("2024-01-03 8:00:00", "小王🎉(10002)", "早"),
        ("2024-01-07 22:00:00", "路人(10003)", "有人吗"),
    ]

    func file(_ name: String, _ text: String) throws -> URL {
        let url = path(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testAWeChatToolsCSVFeedsTheHoursQuietGrowthAndMessageReports() throws {
        let store = initStore("a", operator: "林晓")
        let wang = addMember("王芳", ["--wechat", "wxid_wangfang", "--joined", "2023-12-20"], store: store)
        let zhao = addMember("赵六", ["--joined", "2024-01-02"], store: store)
        let chen = addMember("陈七", ["--joined", "2023-11-01"], store: store)
        let csv = try file("群聊.csv", Self.wechatCSV)

        let imported = try XCTUnwrap(jsonObject(qun(["import", "chat", csv.path, "--json"], store: store)))
        XCTAssertEqual(stringField(imported, "format"), "wechat-csv")
        XCTAssertEqual(imported["messages"].flatMap(intValue), 4)
        XCTAssertEqual(imported["joins"].flatMap(intValue), 1)
        XCTAssertEqual(imported["recalls"].flatMap(intValue), 1)
        XCTAssertEqual(imported["added"].flatMap(intValue), 5)
        let senders = try XCTUnwrap(imported["senders"] as? [[String: Any]])
        XCTAssertEqual(senders.map { stringField($0, "key") }, ["wxid:wxid_wangfang", "wxid:wxid_stranger", "wxid:wxid_zhao6"])
        XCTAssertEqual(senders.map { stringField($0, "member") }, [wang, nil, zhao])
        XCTAssertEqual(senders.map { stringField($0, "match") }, ["handle", nil, "name"])

        // Hours: Monday 20h twice (2024-01-01), Tuesday 9h once, Monday 21h once (2024-01-08).
        let hours = try XCTUnwrap(jsonObject(qun(["report", "hours", "--days", "30", "--today", "2024-01-10", "--json"], store: store)))
        let grid = try XCTUnwrap(hours["grid"] as? [[Int]])
        XCTAssertEqual(grid[0][20], 2)
        XCTAssertEqual(grid[1][9], 1)
        XCTAssertEqual(grid[0][21], 1)
        XCTAssertEqual(grid.flatMap { $0 }.reduce(0, +), 4)
        XCTAssertEqual(hours["messages"].flatMap(intValue), 4)
        XCTAssertEqual((hours["busiest"] as? [[String: Any]])?.first.flatMap { stringField($0, "weekday") }, "Mon")

        // Quiet for 7+ days on the 10th: 陈七 never spoke (joined 70 days before), 王芳 last
        // spoke on the 1st (9 days), 赵六 on the 2nd (8 days).
        let quiet = try XCTUnwrap(jsonObject(qun(["report", "quiet", "--days", "7", "--today", "2024-01-10", "--json"], store: store)))
        let quietMembers = try XCTUnwrap(quiet["members"] as? [[String: Any]])
        XCTAssertEqual(quietMembers.map { stringField($0, "id") }, [chen, wang, zhao])
        XCTAssertEqual(quietMembers.map { $0["days_quiet"].flatMap(intValue) }, [70, 9, 8])
        XCTAssertEqual(quietMembers.map { stringField($0, "source") }, ["joined", "message", "message"])
        // On the 3rd, 赵六 (spoke the day before) is not quiet for 7 days.
        let early = try XCTUnwrap(jsonObject(qun(["report", "quiet", "--days", "7", "--today", "2024-01-03", "--json"], store: store)))
        XCTAssertEqual((early["members"] as? [[String: Any]])?.map { stringField($0, "id") }, [chen])

        // Growth: week of Jan 1 — 赵六 joined (by joined day; the chat's join of 赵六 is the
        // same person), 王芳 and 赵六 active, 3 messages; week of Jan 8 — the stranger active.
        let growth = try XCTUnwrap(jsonObject(qun(["report", "growth", "--weeks", "2", "--today", "2024-01-10", "--json"], store: store)))
        let weeks = try XCTUnwrap(growth["weeks"] as? [[String: Any]])
        XCTAssertEqual(weeks.map { stringField($0, "week") }, ["2024-01-01", "2024-01-08"])
        XCTAssertEqual(weeks.map { $0["joined"].flatMap(intValue) }, [1, 0])
        XCTAssertEqual(weeks.map { $0["active"].flatMap(intValue) }, [2, 1])
        XCTAssertEqual(weeks.map { $0["messages"].flatMap(intValue) }, [3, 1])

        // By messages: 王芳 2, 赵六 1. Scores at Jan 31: 2 × 0.2 × 0.5^(30/30) = 0.2 and
        // 0.2 × 0.5^(29/30) = 0.2 × 0.5116 = 0.1023.
        let board = try XCTUnwrap(jsonObject(qun(["report", "leaderboard", "--month", "2024-01", "--by", "messages",
                                                  "--today", "2024-01-31", "--json"], store: store)))
        XCTAssertEqual(stringField(board, "ranking"), "messages")
        let entries = try XCTUnwrap(board["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.map { stringField($0, "id") }, [wang, zhao])
        XCTAssertEqual(entries.map { $0["messages"].flatMap(intValue) }, [2, 1])
        XCTAssertEqual(entries.map { $0["score"] as? Double }, [0.2, 0.1023])

        let why = qun(["member", "why", "王芳", "--at", "2024-01-01"], store: store)
        XCTAssertTrue(why.contains("2 messages"), why)
    }

    func testTwoLaptopsThatImportedOverlappingQQExportsConvergeOverHTTP() throws {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        addMember("张三", ["--qq", "10001"], store: a)
        let first = try file("a.txt", Self.qq(Array(Self.qqLines[0..<4])))
        let second = try file("b.txt", Self.qq(Array(Self.qqLines[2...])))
        let importedA = try XCTUnwrap(jsonObject(qun(["import", "chat", first.path, "--json"], store: a)))
        let importedB = try XCTUnwrap(jsonObject(qun(["import", "chat", second.path, "--json"], store: b)))
        XCTAssertEqual(importedA["added"].flatMap(intValue), 4)
        XCTAssertEqual(importedB["added"].flatMap(intValue), 5, "3 messages, a join; the recall is not stored")
        XCTAssertEqual(stringField(importedB, "group"), "读书会")

        let server = try serve(a)
        qun(["peer", "add", "lin", server.url], store: b)
        qun(["sync", "lin"], store: b)
        XCTAssertEqual(export(a), export(b))
        let hoursA = qun(["report", "hours", "--today", "2024-01-10", "--json"], store: a)
        XCTAssertEqual(hoursA, qun(["report", "hours", "--today", "2024-01-10", "--json"], store: b))
        XCTAssertEqual(jsonObject(hoursA)?["messages"].flatMap(intValue), 6, "each of the six messages once")
        // The whole export, imported after the sync, is already held on both laptops.
        let whole = try file("all.txt", Self.qq(Self.qqLines))
        for store in [a, b] {
            let again = try XCTUnwrap(jsonObject(qun(["import", "chat", whole.path, "--json"], store: store)))
            XCTAssertEqual(again["added"].flatMap(intValue), 0)
            XCTAssertEqual(again["already_held"].flatMap(intValue), 7)
        }
        XCTAssertEqual(export(a), export(b))
    }

    func testBadChatInputIsRefusedAndChangesNothing() throws {
        let store = initStore("a", operator: "林晓")
        addMember("张三", store: store)
        let before = export(store)
        let badText = Self.qq(Self.qqLines + [("2024-13-45 25:61:00", "张三(10001)", "坏")])
        let badLine = try XCTUnwrap(badText.components(separatedBy: "\n").firstIndex { $0.hasPrefix("2024-13-45") }) + 1
        let badTime = try file("bad.txt", badText)
        let rejected = qunFails(["import", "chat", badTime.path], store: store, stderrContains: ["line \(badLine)", "nothing was imported"])
        XCTAssertTrue(rejected.stderr.contains("--skip-bad"), rejected.stderr)
        qunFails(["import", "chat", path("missing.txt").path], store: store)
        let binary = path("noise.bin")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: binary)
        qunFails(["import", "chat", binary.path], store: store, stderrContains: ["format"])
        qunFails(["import", "chat", badTime.path, "--format", "telegram"], store: store, stderrContains: ["qq, wechat-csv or csv"])
        qunFails(["import", "chat", badTime.path, "--map", "时间=when"], store: store, stderrContains: ["unknown field"])
        qunFails(["import", "chat", badTime.path, "--link", "=张三"], store: store, stderrContains: ["NICKNAME=MEMBER"])
        let good = try file("good.txt", Self.qq(Self.qqLines))
        qunFails(["import", "chat", good.path, "--link", "没这个人=张三"], store: store, stderrContains: ["no sender called"])
        qunFails(["report", "hours", "--days", "0"], store: store, stderrContains: ["--days"])
        XCTAssertEqual(export(store), before)
        // --skip-bad keeps the good lines; undo takes them back.
        qun(["import", "chat", badTime.path, "--skip-bad"], store: store)
        XCTAssertNotEqual(export(store), before)
        qun(["undo"], store: store)
        XCTAssertEqual(jsonObject(qun(["report", "hours", "--today", "2024-01-10", "--json"], store: store))?["messages"].flatMap(intValue), 0)
    }
}
