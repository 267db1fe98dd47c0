import Foundation
import QunCore
@testable import QunStore
import QunStoreTestSupport

/// A reading club of 211 member records whose figures are known by construction, so report
/// tests can assert numbers worked out by hand rather than numbers the code produced.
///
/// Built through the real store API (members, edits, logs, check-ins) and plain
/// `WriteTransaction` edits for events and tasks, into a store with a hand-driven clock; the
/// operations happen in calendar order, each at noon UTC of its day. "Today" is 2026-11-20.
///
/// Composition (added in this order on 2026-06-01, so member numbers follow it):
///
/// | names              | role   | count | joined     | later                                   |
/// |--------------------|--------|-------|------------|-----------------------------------------|
/// | 管理员1…3          | admin  | 3     | 2025-12-01 |                                         |
/// | 达人1…6            | kol    | 6     | 2025-12-01 |                                         |
/// | 核心01…44          | core   | 44    | 2025-12-01 |                                         |
/// | 成员001…060        | member | 60    | 2026-06-10 |                                         |
/// | 成员061…100        | member | 40    | 2026-07-10 |                                         |
/// | 成员101…130        | member | 30    | 2026-08-10 |                                         |
/// | 成员131…150        | member | 20    | 2026-09-10 | 141–145 quiet 09-15 (141 active again 10-12), 146–150 quiet 10-12 |
/// | 离开1…6            | member | 6     | 2026-10-05 | 1–4 left 10-20, 5–6 left 11-05          |
/// | 删除1…2            | kol    | 2     | 2026-11-02 | deleted 11-05                           |
///
/// Referrals: 核心01 → 成员001 → 成员002 → 成员003 → 成员004 (depth 4); 达人1 → 成员010…014,
/// 成员010 → 成员015; 删除2 (deleted) → 成员020.
///
/// Activity: interactions logged for 核心02 ×2 on 09-30 and 成员005 ×3 on 10-31; check-ins
/// 达人1 10-31 ×2, 成员005 10-01 and 10-16, 核心02 10-31 ×3, 成员006 and 成员007 10-21,
/// 成员008 10-01, 管理员1 10-31 ×5 (admin), 离开1 10-31 ×5 (left), 删除1 10-31 ×5 (deleted).
///
/// Events (start, target, sign-ups, attendance):
/// - 十月读书会线下场 2026-10-11T14:00, 40; sign-ups 达人1, 成员005, 成员011…038 (30);
///   attendance 达人1, 成员005, 成员011…032 (24)
/// - 双十一直播 2026-11-02T20:00, 100; sign-ups 成员051…099 + 删除1 (49 live);
///   attendance 成员051…070 + 删除1 (20 live)
/// - 年终聚会 2026-12-05, 60; sign-ups 成员001…010 (10); attendance 成员005 (in the future)
/// - 线上分享 2026-11-10, no target, nobody yet
/// - 取消的活动 2026-10-20 (deleted); attendance 成员006
///
/// Tasks: 林 发早安帖 due 11-10 todo, 整理报名表 11-15T18:00 doing, 旧任务 11-01 done, a deleted
/// one due 09-01; 王 周规则提醒 11-19 (no status), 复盘文档 11-20 todo, 取消的任务 10-01
/// dropped, 未定期限 without due; 无人认领 (no assignee) 11-05 todo.
struct CommunityFixture {
    let store: Store
    let clock: TestClock
    /// Member ids by name.
    let ids: [String: String]
    /// Event ids by title.
    let events: [String: String]

    static let today = CalendarDay(year: 2026, month: 11, day: 20)!

    /// Noon UTC of a day, in milliseconds since 1970.
    static func noon(_ text: String) -> Int64 {
        Int64(CalendarDay(text)!.daysSinceEpoch) * 86_400_000 + 12 * 3_600_000
    }

    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    static func name(_ prefix: String, _ number: Int, width: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func members(_ range: ClosedRange<Int>) -> [String] { range.map { name("成员", $0, width: 3) } }

    static func build(in testCase: StoreTestCase) throws -> CommunityFixture {
        let clock = TestClock(noon("2026-06-01"))
        let store = try testCase.makeStore(name: "林", now: clock.closure)

        var drafts: [MemberDraft] = []
        func add(_ names: [String], _ role: Member.Role, joined: String) {
            for name in names {
                var draft = MemberDraft(name: name)
                draft.role = role
                draft.joined = joined
                draft.city = "杭州"
                drafts.append(draft)
            }
        }
        add((1...3).map { "管理员\($0)" }, .admin, joined: "2025-12-01")
        add((1...6).map { "达人\($0)" }, .kol, joined: "2025-12-01")
        add((1...44).map { name("核心", $0, width: 2) }, .core, joined: "2025-12-01")
        add(members(1...60), .member, joined: "2026-06-10")
        add(members(61...100), .member, joined: "2026-07-10")
        add(members(101...130), .member, joined: "2026-08-10")
        add(members(131...150), .member, joined: "2026-09-10")
        add((1...6).map { "离开\($0)" }, .member, joined: "2026-10-05")
        add((1...2).map { "删除\($0)" }, .kol, joined: "2026-11-02")
        let added = try store.addMembers(drafts)
        let ids = Dictionary(uniqueKeysWithValues: zip(drafts.map(\.name), added.map(\.id)))

        func status(_ names: [String], _ value: Member.Status) throws {
            for name in names { try store.edit(ids[name]!, [.status: value.rawValue]) }
        }
        func log(_ name: String, _ texts: [String]) throws {
            for text in texts { try store.logInteraction(ids[name]!, text) }
        }
        func checkIn(_ name: String, _ day: String, times: Int = 1) throws {
            for _ in 0..<times { try store.checkIn([ids[name]!], day: self.day(day)) }
        }

        clock.set(noon("2026-09-15"))
        try status(members(141...145), .quiet)
        clock.set(noon("2026-09-30"))
        try log("核心02", ["群内答疑", "私聊：推荐书单"])
        clock.set(noon("2026-10-12"))
        try status(members(146...150), .quiet)
        try status(["成员141"], .active)
        clock.set(noon("2026-10-20"))
        try status((1...4).map { "离开\($0)" }, .left)
        clock.set(noon("2026-10-31"))
        try log("成员005", ["私聊：想当领读人", "电话：确认线下场", "群内分享读后感"])
        clock.set(noon("2026-11-05"))
        try status(["离开5", "离开6"], .left)
        try checkIn("删除1", "2026-10-31", times: 5)
        try store.edit(ids["成员020"]!, [.referrer: ids["删除2"]!])
        try store.removeMember(ids["删除1"]!)
        try store.removeMember(ids["删除2"]!)

        clock.set(noon("2026-11-20"))
        let chain = ["核心01", "成员001", "成员002", "成员003", "成员004"]
        for (referrer, member) in zip(chain, chain.dropFirst()) {
            try store.edit(ids[member]!, [.referrer: ids[referrer]!])
        }
        for member in members(10...14) { try store.edit(ids[member]!, [.referrer: ids["达人1"]!]) }
        try store.edit(ids["成员015"]!, [.referrer: ids["成员010"]!])

        try checkIn("达人1", "2026-10-31", times: 2)
        try checkIn("成员005", "2026-10-01")
        try checkIn("成员005", "2026-10-16")
        try checkIn("核心02", "2026-10-31", times: 3)
        try checkIn("成员006", "2026-10-21")
        try checkIn("成员007", "2026-10-21")
        try checkIn("成员008", "2026-10-01")
        try checkIn("管理员1", "2026-10-31", times: 5)
        try checkIn("离开1", "2026-10-31", times: 5)

        var events: [String: String] = [:]
        func event(_ title: String, start: String, target: Int?, phase: String,
                   signups: [String], attendance: [String], deleted: Bool = false) throws {
            let id = RecordID.random()
            events[title] = id
            try store.write { tx in
                let c = String.eventCollection
                try tx.set(c, id, "title", .text(title))
                try tx.set(c, id, "start", .text(start))
                if let target { try tx.set(c, id, "target", .int(Int64(target))) }
                try tx.set(c, id, "phase", .text(phase))
                for name in signups { try tx.add(c, id, "signups", ids[name]!) }
                for name in attendance { try tx.add(c, id, "attendance", ids[name]!) }
                if deleted { try tx.delete(c, id) }
            }
        }
        try event("十月读书会线下场", start: "2026-10-11T14:00", target: 40, phase: "done",
                  signups: ["达人1", "成员005"] + members(11...38), attendance: ["达人1", "成员005"] + members(11...32))
        try event("双十一直播", start: "2026-11-02T20:00", target: 100, phase: "done",
                  signups: members(51...99) + ["删除1"], attendance: members(51...70) + ["删除1"])
        try event("年终聚会", start: "2026-12-05", target: 60, phase: "prep",
                  signups: members(1...10), attendance: ["成员005"])
        try event("线上分享", start: "2026-11-10", target: nil, phase: "prep", signups: [], attendance: [])
        try event("取消的活动", start: "2026-10-20", target: 30, phase: "prep",
                  signups: ["成员006"], attendance: ["成员006"], deleted: true)

        func task(_ title: String, assignee: String?, due: String?, status: String?, deleted: Bool = false) throws {
            let id = RecordID.random()
            try store.write { tx in
                let c = String.taskCollection
                try tx.set(c, id, "title", .text(title))
                if let assignee { try tx.set(c, id, "assignee", .text(assignee)) }
                if let due { try tx.set(c, id, "due", .text(due)) }
                if let status { try tx.set(c, id, "status", .text(status)) }
                if deleted { try tx.delete(c, id) }
            }
        }
        try task("发早安帖", assignee: "林", due: "2026-11-10", status: "todo")
        try task("整理报名表", assignee: "林", due: "2026-11-15T18:00", status: "doing")
        try task("旧任务", assignee: "林", due: "2026-11-01", status: "done")
        try task("删掉的任务", assignee: "林", due: "2026-09-01", status: "todo", deleted: true)
        try task("周规则提醒", assignee: "王", due: "2026-11-19", status: nil)
        try task("复盘文档", assignee: "王", due: "2026-11-20", status: "todo")
        try task("取消的任务", assignee: "王", due: "2026-10-01", status: "dropped")
        try task("未定期限", assignee: "王", due: nil, status: "todo")
        try task("无人认领", assignee: nil, due: "2026-11-05", status: "todo")

        return CommunityFixture(store: store, clock: clock, ids: ids, events: events)
    }
}
