import Foundation
import XCTest

/// `qun reward …` through the real binary: the rewards ledger, built from the record-kind
/// description, granted from the leaderboard once per member and month, with a sent mark
/// that no sync takes back.
final class RewardEndToEndTests: QunTestCase {
    /// November 2026's leaderboard by check-ins on its last day (2 each, no decay): 张三 6,
    /// 李四 4, 王五 and 赵六 2 each (tied for third).
    private func community(_ store: URL) {
        for (name, checkins) in [("张三", 3), ("李四", 2), ("王五", 1), ("赵六", 1), ("孙七", 0)] {
            qun(["member", "add", name], store: store)
            for _ in 0..<checkins { qun(["member", "checkin", name, "--date", "2026-11-30"], store: store) }
        }
    }

    func testGrantListSentShowAndMemberShowWithJSON() throws {
        let store = initStore("s", operator: "林晓")
        community(store)
        let dry = qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "书一本", "--dry-run"], store: store)
        XCTAssertTrue(dry.contains("would grant") && dry.contains("dry run, nothing written"), dry)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["reward", "list", "--json"], store: store))).count, 0)

        let grant = try XCTUnwrap(jsonObject(qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "书一本",
                                                  "--points", "50", "--json"], store: store)))
        XCTAssertEqual(grant.keys.sorted(), ["changed", "dry_run", "month", "rewards", "scored", "top"])
        XCTAssertEqual(grant["changed"] as? Bool, true)
        let granted = try XCTUnwrap(grant["rewards"] as? [[String: Any]])
        XCTAssertEqual(granted.map { stringField($0, "member_name") }, ["张三", "李四", "王五", "赵六"], "the tie at third is included")
        XCTAssertEqual(granted.map { stringField($0, "outcome") }, ["granted", "granted", "granted", "granted"])
        // The same figures as the leaderboard report.
        let board = try XCTUnwrap(jsonObject(qun(["report", "leaderboard", "--month", "2026-11", "--top", "4", "--json"], store: store)))
        let entries = try XCTUnwrap(board["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.map { stringField($0, "id") }, granted.map { stringField($0, "member") })
        XCTAssertEqual(entries.map { $0["score"] as? Double }, granted.map { $0["score"] as? Double })

        let again = qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "别的"], store: store)
        XCTAssertTrue(again.contains("nothing changed"), again)

        let listed = try XCTUnwrap(jsonArray(qun(["reward", "list", "--month", "2026-11", "--json"], store: store)))
        XCTAssertEqual(listed.count, 4)
        XCTAssertEqual(listed[0].keys.sorted(), ["deleted", "gift", "id", "kind", "member", "member_name", "month", "note", "points",
                                                 "rank", "score", "sent", "sent_at", "sent_by", "sent_day", "sent_operator"])
        let first = try XCTUnwrap(stringField(listed[0], "id"))
        let sent = qun(["reward", "sent", String(first.prefix(6))], store: store)
        XCTAssertTrue(sent.hasPrefix("sent \(first.prefix(8)) 2026-11 书一本 to 张三"), sent)
        XCTAssertTrue(qun(["reward", "sent", first], store: store).contains("already sent"))
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["reward", "list", "+sent", "--json"], store: store))).map { stringField($0, "id") }, [first])
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["reward", "list", "sent:no", "--json"], store: store))).count, 3)
        XCTAssertEqual(try XCTUnwrap(jsonArray(qun(["reward", "list", "-sent", "member:李四", "--json"], store: store))).count, 1)
        let text = qun(["reward", "list"], store: store)
        XCTAssertTrue(text.hasSuffix("4 rewards, 3 still to give\n"), text)

        let shown = try XCTUnwrap(jsonObject(qun(["reward", "show", first, "--json"], store: store)))
        XCTAssertEqual(shown["sent"] as? Bool, true)
        XCTAssertEqual(shown["sent_operator"] as? String, "林晓")
        XCTAssertTrue(qun(["reward", "show", first], store: store).contains("marked by 林晓 at"))

        // member show: the existing keys stay, `rewards` is added.
        let member = try XCTUnwrap(jsonObject(qun(["member", "show", "张三", "--json"], store: store)))
        XCTAssertEqual(member.keys.sorted(), ["activity", "checkins", "city", "deleted", "email", "gate", "gate_note", "id", "joined", "kol",
                                              "log", "log_count", "name", "notes", "number", "phone", "qq", "referrer", "rewards", "role",
                                              "status", "tags", "wechat"])
        let rewards = try XCTUnwrap(member["rewards"] as? [[String: Any]])
        XCTAssertEqual(rewards.map { stringField($0, "id") }, [first])
        let memberText = qun(["member", "show", "张三"], store: store)
        XCTAssertTrue(memberText.contains("rewards (奖励):\n  2026-11  #1 书一本 (50 points)  sent "), memberText)

        // A hand-added reward; adding again for the same month updates it.
        let manual = qun(["reward", "add", "孙七", "--gift", "徽章", "--month", "2026-11", "--note", "帮忙组织读书会"], store: store)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(manual.count, 32, manual)
        let updated = runQun(["reward", "add", "孙七", "--gift", "徽章和书签", "--month", "2026-11"], store: store)
        XCTAssertEqual(updated.stdout.trimmingCharacters(in: .whitespacesAndNewlines), manual)
        XCTAssertTrue(updated.stderr.contains("its gift is now 徽章和书签"), updated.stderr)

        // The generic record commands.
        XCTAssertEqual(qun(["reward", "rm", manual], store: store),
                       "deleted \(manual.prefix(8)) 2026-11 徽章和书签 (undo with `qun reward restore \(manual.prefix(8))`)\n")
        qunFails(["reward", "sent", manual], store: store, stderrContains: ["is deleted", "qun reward restore"])
        XCTAssertEqual(qun(["reward", "restore", String(manual.prefix(6))], store: store), "restored \(manual.prefix(8)) 2026-11 徽章和书签\n")
    }

    func testBadInputFailsClearlyAndChangesNothing() throws {
        let store = initStore("s", operator: "林晓")
        community(store)
        qun(["reward", "grant", "--month", "2026-11", "--top", "1", "--gift", "书一本"], store: store)
        let before = export(store)
        qunFails(["reward", "grant", "--month", "2026-13", "--top", "3", "--gift", "书"], store: store, stderrContains: ["--month", "2026-13", "YYYY-MM"])
        qunFails(["reward", "grant", "--month", "2026-11", "--top", "0", "--gift", "书"], store: store, stderrContains: ["--top", "positive"])
        qunFails(["reward", "grant", "--month", "2026-11", "--top", "3"], store: store, stderrContains: ["--gift"])
        qunFails(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "书", "--points", "-5"], store: store, stderrContains: ["--points"])
        qunFails(["reward", "add", "没有这个人", "--gift", "书"], store: store, stderrContains: ["no member matches '没有这个人'", "qun member list"])
        qunFails(["reward", "add", "张三", "--gift", "书", "--month", "2026-13"], store: store, stderrContains: ["--month"])
        qunFails(["reward", "sent", "ffff"], store: store, stderrContains: ["no reward matches 'ffff'", "qun reward list"])
        qunFails(["reward", "list", "+vip"], store: store, stderrContains: ["+sent"])
        qunFails(["reward", "list", "color:red"], store: store, stderrContains: ["unknown filter 'color:'"])
        qunFails(["reward", "edit", "ffff"], store: store, stderrContains: ["--gift"])
        XCTAssertEqual(export(store), before)
    }

    func testTwoLaptopsGrantingOfflineEndWithOneRewardPerMemberAndSentStaysSent() throws {
        let a = initStore("a", operator: "林晓")
        let b = joinStore("b", operator: "王芳", inviter: a)
        community(a)
        _ = carry(from: a, to: b, named: "members")
        qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "书一本"], store: a)
        qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "书签"], store: b)
        _ = carry(from: a, to: b, named: "ab1")
        _ = carry(from: b, to: a, named: "ba1")
        let listA = try XCTUnwrap(jsonArray(qun(["reward", "list", "--json"], store: a)))
        XCTAssertEqual(listA.count, 4, "one reward per member and month")
        XCTAssertEqual(Set(listA.compactMap { stringField($0, "member") }).count, 4)
        XCTAssertEqual(qun(["reward", "list", "--json"], store: b), qun(["reward", "list", "--json"], store: a))

        // Sent on a; granted again and edited on b, offline; after the exchange still sent.
        let target = try XCTUnwrap(stringField(listA[0], "id"))
        qun(["reward", "sent", target], store: a)
        XCTAssertTrue(qun(["reward", "grant", "--month", "2026-11", "--top", "3", "--gift", "重发"], store: b).contains("nothing changed"))
        qun(["reward", "edit", target, "--gift", "王芳改的礼物"], store: b)
        _ = carry(from: a, to: b, named: "ab2")
        _ = carry(from: b, to: a, named: "ba2")
        for store in [a, b] {
            let shown = try XCTUnwrap(jsonObject(qun(["reward", "show", target, "--json"], store: store)))
            XCTAssertEqual(shown["sent"] as? Bool, true)
            XCTAssertEqual(shown["sent_operator"] as? String, "林晓")
            XCTAssertEqual(shown["gift"] as? String, "王芳改的礼物")
        }
        XCTAssertEqual(export(a), export(b))
    }

    func testTheReplCompletesAndRunsRewardCommands() throws {
        let store = initStore("s", operator: "林晓")
        community(store)
        let script = """
            reward grant --month 2026-11 --top 2 --gift 书一本
            reward add 孙七 --gift '徽章' --month 2026-11
            reward grant --month 2026-11 --top 2 --gift 书一本
            reward list --month 2026-11 kind:manual --json
            reward grant --month 2026-13 --top 2 --gift 书
            """
        let result = runQun(["repl"], store: store, stdin: script)
        XCTAssertTrue(result.stdout.contains("2026-11: 2 rewards granted"), result.stdout)
        XCTAssertTrue(result.stdout.contains("nothing changed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"gift\": \"徽章\""), result.stdout)
        XCTAssertTrue(result.stderr.contains("2026-13"), result.stderr)
        let listed = try XCTUnwrap(jsonArray(qun(["reward", "list", "--json"], store: store)))
        XCTAssertEqual(listed.count, 3)
    }
}
