import Foundation
import QunCore
@testable import QunStore
import QunStoreTestSupport
import XCTest

/// Check-ins, the activity score and the leaderboard, against `CommunityFixture`. Expected
/// scores are written out with the formula: weight × 0.5^(age / 30).
final class ActivityTests: StoreTestCase {
    /// The formula, written out independently of `ActivityFormula`.
    private func decayed(_ weight: Double, age: Double) -> Double { weight * pow(0.5, age / 30) }

    // MARK: Check-ins

    func testCheckinsAreLogEntriesSoTwoLaptopsBothCount() throws {
        let clock = TestClock(CommunityFixture.noon("2026-11-20"))
        let stores = try makeTeam(["林", "王"], clocks: [clock, clock])
        let member = try stores[0].add("张三")
        try exchange(stores[0], stores[1])
        // Both laptops check 张三 in for the same day, offline.
        try stores[0].checkIn([member.id], day: CommunityFixture.day("2026-11-19"), note: "晨读")
        try stores[1].checkIn([member.id], day: CommunityFixture.day("2026-11-19"))
        try exchange(stores[0], stores[1])
        for store in stores {
            XCTAssertEqual(try store.checkinCount(member.id), 2)
            XCTAssertEqual(Set(try store.checkins(member.id).map(\.note)), ["晨读", nil])
        }
        XCTAssertEqual(try stores[0].exportText(), try stores[1].exportText())
    }

    func testCheckinDefaultsToTodayAndReportsTheCount() throws {
        let clock = TestClock(CommunityFixture.noon("2026-11-20"))
        let store = try makeStore(now: clock.closure)
        try store.add("李四")
        let results = try store.checkIn(["李四"], note: "  打卡第一天 ")
        XCTAssertEqual(results.map(\.day), [CommunityFixture.today])
        XCTAssertEqual(results.map(\.note), ["打卡第一天"])
        XCTAssertEqual(results.map(\.total), [1])
        XCTAssertEqual(try store.checkins("李四").map(\.day), [CommunityFixture.today])
    }

    func testBadCheckinsChangeNothing() throws {
        let clock = TestClock(CommunityFixture.noon("2026-11-20"))
        let store = try makeStore(now: clock.closure)
        try store.add("李四")
        try store.removeMember(try store.add("王五").id)
        let before = try store.fingerprint()
        XCTAssertNotNil(storeError { try store.checkIn(["李四"], day: CommunityFixture.day("2026-11-21")) })
        XCTAssertNotNil(storeError { try store.checkIn(["李四", "nobody"]) })
        XCTAssertNotNil(storeError { try store.checkIn(["李四", "王五"]) })
        XCTAssertNotNil(storeError { try store.checkIn(["李四"], note: "two\nlines") })
        XCTAssertNotNil(storeError { try store.checkIn([]) })
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testCheckinEntryTextRoundTrips() {
        let day = CommunityFixture.day("2026-02-03")
        XCTAssertEqual(Checkin.entry(day: day, note: nil), "2026-02-03")
        XCTAssertEqual(Checkin.entry(day: day, note: "读完第三章"), "2026-02-03 读完第三章")
        XCTAssertEqual(Checkin.parse("2026-02-03 读完第三章")?.note, "读完第三章")
        XCTAssertEqual(Checkin.parse("2026-02-03")?.day, day)
        XCTAssertNil(Checkin.parse("2026-02-30"))
        XCTAssertNil(Checkin.parse("2026-02-031"))
        XCTAssertNil(Checkin.parse("hello"))
    }

    // MARK: Activity score

    func testWhyExplainsTheScoreLineByLineAndTheLinesSumToIt() throws {
        let fixture = try CommunityFixture.build(in: self)
        let activity = try fixture.store.activity("成员005", at: CommunityFixture.today)
        // 2026-11-20: three interactions on 10-31 (age 20), check-ins on 10-16 (35) and
        // 10-01 (50), 十月读书会 on 10-11 (40). 年终聚会 (12-05) is still to come.
        let expected = 3 * decayed(1, age: 20) + decayed(2, age: 35) + decayed(2, age: 50) + decayed(5, age: 40)
        XCTAssertEqual(activity.score, expected, accuracy: 1e-9)
        XCTAssertEqual(activity.score, 5.3950, accuracy: 1e-4)
        XCTAssertEqual(activity.contributions.count, 6)
        XCTAssertEqual(activity.contributions.map(\.kind), [.interaction, .interaction, .interaction, .checkin, .attendance, .checkin])
        XCTAssertEqual(activity.contributions.map(\.ageDays), [20, 20, 20, 35, 40, 50])
        XCTAssertEqual(activity.contributions.map(\.weight), [1, 1, 1, 2, 5, 2])
        XCTAssertEqual(activity.contributions[4].detail, "十月读书会线下场")
        XCTAssertEqual(activity.contributions.reduce(0) { $0 + $1.value }, activity.score, accuracy: 1e-12)
        for line in activity.contributions {
            XCTAssertEqual(line.value, decayed(line.weight, age: Double(line.ageDays)), accuracy: 1e-12)
        }
    }

    func testScoreCountsOnlyWhatHappenedByTheReferenceDay() throws {
        let fixture = try CommunityFixture.build(in: self)
        // On 10-15 only the 10-01 check-in (age 14) and the 10-11 event (age 4) had happened.
        let early = try fixture.store.activity("成员005", at: CommunityFixture.day("2026-10-15"))
        XCTAssertEqual(early.score, decayed(2, age: 14) + decayed(5, age: 4), accuracy: 1e-9)
        // On 12-05 年终聚会 counts at age 0, the rest has aged.
        let later = try fixture.store.activity("成员005", at: CommunityFixture.day("2026-12-05"))
        XCTAssertEqual(later.contributions.first?.kind, .attendance)
        XCTAssertEqual(later.contributions.first?.value, 5)
        // A deleted event counts for nobody: 成员006 has only its check-in.
        let other = try fixture.store.activity("成员006", at: CommunityFixture.day("2026-10-31"))
        XCTAssertEqual(other.contributions.map(\.kind), [.checkin])
        // A member who did nothing scores zero, with no lines.
        XCTAssertEqual(try fixture.store.activity("成员100", at: CommunityFixture.today).score, 0)
    }

    func testActivityIsTheSameOnEveryLaptopThatHoldsTheSameChanges() throws {
        let fixture = try CommunityFixture.build(in: self)
        let copy = try makeStore(name: "王", team: fixture.store.identity.team)
        try push(fixture.store, copy)
        let here = try fixture.store.activity("成员005", at: CommunityFixture.today)
        let there = try copy.activity("成员005", at: CommunityFixture.today)
        XCTAssertEqual(here.contributions, there.contributions)
    }

    // MARK: Leaderboard

    func testOctoberLeaderboardRanksByScoreThenMemberNumber() throws {
        let fixture = try CommunityFixture.build(in: self)
        let report = try fixture.store.leaderboardReport(month: ReportMonth("2026-10")!, top: 30, today: CommunityFixture.today)
        XCTAssertEqual(report.reference, CommunityFixture.day("2026-10-31"))
        // Ages are counted to 10-31; the 09-30 interactions of 核心02 are outside the month;
        // 管理员1 (admin), 离开1 (left) and 删除1 (deleted) are not ranked.
        let m005 = 3 * decayed(1, age: 0) + decayed(2, age: 30) + decayed(2, age: 15) + decayed(5, age: 20) // 8.5640
        let kol1 = 2 * decayed(2, age: 0) + decayed(5, age: 20)                                              // 7.1498
        let core2 = 3 * decayed(2, age: 0)                                                                   // 6
        let attendee = decayed(5, age: 20)                                                                   // 3.1498
        let checkin21 = decayed(2, age: 10)                                                                  // 1.5874
        let expected: [(String, Double)] = [("成员005", m005), ("达人1", kol1), ("核心02", core2)]
            + CommunityFixture.members(11...32).map { ($0, attendee) }
            + [("成员006", checkin21), ("成员007", checkin21), ("成员008", decayed(2, age: 30))]
        XCTAssertEqual(report.scored, 28)
        XCTAssertEqual(report.entries.map(\.member.name), expected.map(\.0))
        XCTAssertEqual(report.entries.map(\.rank), Array(1...28))
        for (entry, (name, score)) in zip(report.entries, expected) {
            XCTAssertEqual(entry.score, score, accuracy: 1e-9, name)
        }
        XCTAssertEqual(report.entries[0].score, 8.5640, accuracy: 1e-4)
        XCTAssertEqual(report.entries[0].contributions, 6)
    }

    func testLeaderboardTopNCutsAfterTheTieBreak() throws {
        let fixture = try CommunityFixture.build(in: self)
        let report = try fixture.store.leaderboardReport(month: ReportMonth("2026-10")!, top: 5, today: CommunityFixture.today)
        XCTAssertEqual(report.entries.map(\.member.name), ["成员005", "达人1", "核心02", "成员011", "成员012"])
        XCTAssertEqual(report.scored, 28)
        XCTAssertNotNil(storeError { try fixture.store.leaderboardReport(month: ReportMonth("2026-10")!, top: 0) })
    }

    func testLeaderboardOfNovemberSoFar() throws {
        let fixture = try CommunityFixture.build(in: self)
        // Only 双十一直播 (11-02) happened in November; aged 28 days to 11-30.
        let report = try fixture.store.leaderboardReport(month: ReportMonth("2026-11")!, top: 3, today: CommunityFixture.today)
        XCTAssertEqual(report.scored, 20)
        XCTAssertEqual(report.entries.map(\.member.name), ["成员051", "成员052", "成员053"])
        XCTAssertEqual(report.entries[0].score, decayed(5, age: 28), accuracy: 1e-9)
        // Before 11-02 nothing of November had happened.
        XCTAssertEqual(try fixture.store.leaderboardReport(month: ReportMonth("2026-11")!, today: CommunityFixture.day("2026-11-01")).scored, 0)
        // A month still to come is empty, not an error.
        XCTAssertEqual(try fixture.store.leaderboardReport(month: ReportMonth("2027-01")!, today: CommunityFixture.today).entries, [])
    }

    func testMemberNumbersOrderAsNumbers() {
        XCTAssertEqual(LeaderboardReport.numberPrecedes("W4XE-9", "W4XE-10"), true)
        XCTAssertEqual(LeaderboardReport.numberPrecedes("W4XE-10", "W4XE-9"), false)
        XCTAssertEqual(LeaderboardReport.numberPrecedes("A-10", "B-1"), true)
        XCTAssertEqual(LeaderboardReport.numberPrecedes(nil, "B-1"), false)
        XCTAssertNil(LeaderboardReport.numberPrecedes("A-1", "A-1"))
    }

    func testMonthsParseStrictly() {
        XCTAssertEqual(ReportMonth("2026-02")?.lastDay, CommunityFixture.day("2026-02-28"))
        XCTAssertEqual(ReportMonth("2028-02")?.lastDay, CommunityFixture.day("2028-02-29"))
        XCTAssertEqual(ReportMonth("2026-01")?.adding(months: -1).description, "2025-12")
        for bad in ["2026-13", "2026-00", "2026-1", "26-01", "2026-01-01", "abcd-ef", ""] {
            XCTAssertNil(ReportMonth(bad), bad)
        }
        XCTAssertNotNil(storeError { try ReportMonth.parse("2026-13") })
    }
}
