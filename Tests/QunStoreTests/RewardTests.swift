import Foundation
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport
import QunTestSupport

/// The rewards ledger, the fifth kind of record: the month's leaderboard winners granted once
/// per member and month, hand-added rewards, and a sent mark nothing takes back.
final class RewardTests: StoreTestCase {
    /// February 2024 ends the day before the test clock's start, so every check-in on its
    /// last day weighs 2 exactly: 张三 6, 李四 4, 王五 and 赵六 2 each (tied), 孙七 nothing; the
    /// admin's 10 do not count.
    static let month = ReportMonth(year: 2024, month: 2)!
    static let lastDay = CalendarDay(year: 2024, month: 2, day: 29)!

    private func community(_ store: Store) throws -> [String: Member] {
        var members: [String: Member] = [:]
        for (name, checkins) in [("张三", 3), ("李四", 2), ("王五", 1), ("赵六", 1), ("孙七", 0)] {
            let member = try store.add(name)
            members[name] = member
            for _ in 0..<checkins { _ = try store.checkIn([member.id], day: Self.lastDay) }
        }
        let admin = try store.add("管理员") { $0.role = .admin }
        for _ in 0..<5 { _ = try store.checkIn([admin.id], day: Self.lastDay) }
        return members
    }

    func testGrantRewardsTheTopThreeAndEveryoneTiedWithTheThird() throws {
        let store = try makeStore(now: TestClock().closure)
        let members = try community(store)
        let board = try store.leaderboardReport(month: Self.month, top: 3)
        XCTAssertEqual(board.entries.map(\.member.name), ["张三", "李四", "王五"], "the leaderboard cuts the tie by member number")

        let grant = try store.grantRewards(month: Self.month, top: 3, gift: "书一本", points: 50)
        XCTAssertEqual(grant.lines.map(\.entry.member.name), ["张三", "李四", "王五", "赵六"], "赵六 ties with 王五 at the cut")
        XCTAssertEqual(grant.lines.map(\.outcome), [.granted, .granted, .granted, .granted])
        XCTAssertEqual(grant.lines.map(\.entry.score), [6, 4, 2, 2])
        XCTAssertEqual(grant.lines.map(\.entry.rank), [1, 2, 3, 3])
        let rewards = try store.rewards(RewardFilter(month: Self.month))
        let ranks = Dictionary(uniqueKeysWithValues: rewards.map { ($0.member, $0.rank) })
        XCTAssertEqual(ranks, ["张三": 1, "李四": 2, "王五": 3, "赵六": 3].reduce(into: [:]) { $0[members[$1.key]!.id] = $1.value },
                       "tied for third, both are third")
        XCTAssertEqual(rewards.map(\.rank), [1, 2, 3, 3], "listed in rank order")
        XCTAssertEqual(Set(rewards.map(\.gift)), ["书一本"])
        XCTAssertEqual(Set(rewards.map(\.points)), [50])
        XCTAssertEqual(Set(rewards.map(\.origin)), [.leaderboard])
        XCTAssertEqual(rewards.map(\.id), rewards.map { Reward.id(month: Self.month, member: $0.member, origin: .leaderboard) })
        XCTAssertTrue(rewards.allSatisfy { !$0.isSent })

        // A narrower cut with no tie rewards exactly that many.
        let two = try store.grantRewards(month: Self.month, top: 2, gift: "书一本", dryRun: true)
        XCTAssertEqual(two.lines.map(\.entry.member.name), ["张三", "李四"])
    }

    func testGrantingAgainChangesNothingAndADryRunWritesNothing() throws {
        let store = try makeStore(now: TestClock().closure)
        _ = try community(store)
        let before = try store.fingerprint()
        let dry = try store.grantRewards(month: Self.month, top: 3, gift: "书一本", dryRun: true)
        XCTAssertEqual(dry.lines.count, 4)
        XCTAssertFalse(dry.changesNothing)
        XCTAssertEqual(try store.fingerprint(), before, "a dry run writes nothing")

        _ = try store.grantRewards(month: Self.month, top: 3, gift: "书一本")
        let granted = try store.fingerprint()
        let again = try store.grantRewards(month: Self.month, top: 3, gift: "另一份礼物", points: 9)
        XCTAssertTrue(again.changesNothing)
        XCTAssertEqual(again.lines.map(\.outcome), [.alreadyGranted, .alreadyGranted, .alreadyGranted, .alreadyGranted])
        XCTAssertEqual(try store.fingerprint(), granted, "granting again writes nothing")
        XCTAssertEqual(Set(try store.rewards().map(\.gift)), ["书一本"])

        // A deleted reward stays deleted when the month is granted again.
        let removed = try store.remove(Reward.self, try store.rewards()[0].id)
        let third = try store.grantRewards(month: Self.month, top: 3, gift: "书一本")
        XCTAssertEqual(third.lines.first { $0.reward.id == removed.id }?.outcome, .removed)
        XCTAssertTrue(third.changesNothing)
        XCTAssertTrue(try store.reward(removed.id, includeDeleted: true).deleted)
        XCTAssertEqual(try store.rewards().count, 3)
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let store = try makeStore(now: TestClock().closure)
        _ = try community(store)
        let before = try store.fingerprint()
        XCTAssertEqual(storeError { try store.grantRewards(month: Self.month, top: 0, gift: "书") },
                       .invalidValue(field: "top", value: "0", expected: "a positive number"))
        XCTAssertEqual(storeError { try store.grantRewards(month: Self.month, top: 3, gift: "  ") }, .missingValue(field: "gift"))
        XCTAssertNotNil(storeError { try store.grantRewards(month: Self.month, top: 3, gift: "书", points: -1) })
        XCTAssertEqual(storeError { try store.addReward(member: "没有这个人", gift: "书") },
                       .notFound(collection: "member", reference: "没有这个人"))
        XCTAssertEqual(storeError { try store.markRewardsSent(["abcd"]) }, .notFound(collection: "reward", reference: "abcd"))
        XCTAssertNotNil(storeError { try ReportMonth.parse("2026-13") })
        XCTAssertEqual(try store.fingerprint(), before)
        // A month nobody scored in grants nothing.
        XCTAssertEqual(try store.grantRewards(month: ReportMonth(year: 2024, month: 1)!, top: 3, gift: "书").lines, [])
    }

    func testAManualRewardIsOnePerMemberAndMonthAndTheLaterGiftWins() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let members = try community(store)
        _ = try store.grantRewards(month: Self.month, top: 3, gift: "书一本")
        let first = try store.addReward(member: "孙七", gift: "徽章", month: Self.month, note: "帮忙组织读书会")
        XCTAssertEqual(first.outcome, .added)
        XCTAssertEqual(first.reward.id, Reward.id(month: Self.month, member: members["孙七"]!.id, origin: .manual))
        clock.advance(by: 1000)
        let second = try store.addReward(member: members["孙七"]!.number!, gift: "徽章和书签", month: Self.month)
        XCTAssertEqual(second.outcome, .updated)
        XCTAssertEqual(second.reward.id, first.reward.id)
        XCTAssertEqual(second.reward.gift, "徽章和书签")
        XCTAssertEqual(second.reward.note, "帮忙组织读书会", "a note not given again stays")
        XCTAssertEqual(try store.addReward(member: "孙七", gift: "徽章和书签", month: Self.month).outcome, .unchanged)
        // A hand-added reward is separate from the member's leaderboard one.
        let extra = try store.addReward(member: "张三", gift: "贡献奖", month: Self.month)
        XCTAssertEqual(extra.outcome, .added)
        XCTAssertEqual(try store.rewards(RewardFilter(member: members["张三"]!.id)).map(\.origin), [.leaderboard, .manual])
        // The default month is this month; a deleted one comes back with the new gift.
        let now = try store.addReward(member: "孙七", gift: "明信片")
        XCTAssertEqual(now.reward.month, "2024-03")
        try store.remove(Reward.self, now.reward.id)
        let back = try store.addReward(member: "孙七", gift: "两张明信片")
        XCTAssertEqual(back.outcome, .restored)
        XCTAssertEqual(back.reward.id, now.reward.id)
        XCTAssertFalse(back.reward.deleted)
    }

    func testSentIsMarkedOnceWithWhoAndWhenAndNoEditOrGrantUnsendsIt() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        _ = try community(store)
        _ = try store.grantRewards(month: Self.month, top: 3, gift: "书一本")
        let target = try store.rewards()[0]
        clock.advance(by: 60_000)
        let marked = try store.markRewardsSent([target.shortID, target.id])
        XCTAssertEqual(marked.count, 1, "one reward named twice is marked once")
        XCTAssertFalse(marked[0].already)
        let mark = try XCTUnwrap(marked[0].reward.sent)
        XCTAssertEqual(mark.replica, store.identity.replica)
        XCTAssertEqual(mark.at.milliseconds, TestClock.start + 60_000)
        XCTAssertEqual(mark.day, "2024-03-01")
        clock.advance(by: 60_000)
        let again = try store.markRewardsSent([target.id])
        XCTAssertTrue(again[0].already)
        XCTAssertEqual(again[0].reward.sent, mark, "the first mark stays the one shown")
        _ = try store.editReward(target.id, gift: "两本书", points: 10, note: "")
        _ = try store.grantRewards(month: Self.month, top: 4, gift: "别的")
        let after = try store.reward(target.id)
        XCTAssertEqual(after.sent, mark)
        XCTAssertEqual(after.gift, "两本书")
        XCTAssertEqual(try store.rewards({ var f = RewardFilter(); f.sent = true; return f }()).map(\.id), [target.id])
        XCTAssertEqual(try store.rewards({ var f = RewardFilter(); f.sent = false; return f }()).count, 3)
        XCTAssertNotNil(storeError { try store.markRewardsSent([target.id], day: CalendarDay(year: 2024, month: 3, day: 2)!) },
                        "a gift is not marked given tomorrow")
    }

    /// Both rules across two laptops that never talked while granting.
    func testTwoLaptopsGrantingOfflineHoldOneRewardPerMemberAndASentGiftStaysSent() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林晓", "王芳"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        _ = try community(a)
        try exchange(a, b)
        let onA = try a.grantRewards(month: Self.month, top: 3, gift: "书一本")
        clocks[1].advance(by: 1000)
        let onB = try b.grantRewards(month: Self.month, top: 3, gift: "书签")
        XCTAssertEqual(onA.lines.map(\.reward.id), onB.lines.map(\.reward.id), "the ids come from month, member and kind")
        try exchange(a, b)
        let listed = try a.rewards()
        XCTAssertEqual(listed.count, 4, "one reward per member and month")
        XCTAssertEqual(listed, try b.rewards())
        XCTAssertEqual(Set(listed.map(\.gift)), ["书签"], "the later gift wins, on both")
        XCTAssertEqual(try a.exportText(), try b.exportText())

        // Sent on one laptop, granted again (and edited) on the other offline: still sent.
        let target = listed[1]
        clocks[0].advance(by: 5000)
        _ = try a.markRewardsSent([target.id])
        clocks[1].advance(by: 9000)
        XCTAssertTrue(try b.grantRewards(month: Self.month, top: 3, gift: "重发").changesNothing)
        _ = try b.editReward(target.id, gift: "王芳改的礼物")
        try exchange(a, b)
        for store in [a, b] {
            let reward = try store.reward(target.id)
            XCTAssertTrue(reward.isSent)
            XCTAssertEqual(reward.sent?.replica, a.identity.replica)
            XCTAssertEqual(reward.gift, "王芳改的礼物")
        }
        XCTAssertEqual(try a.rewards(), try b.rewards())
    }
}
