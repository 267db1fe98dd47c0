import Foundation
import QunCore
@testable import QunStore
import XCTest

/// Every report against `CommunityFixture`, whose figures are worked out by hand in its
/// doc comment: the numbers below come from that table, not from running the code.
final class ReportTests: StoreTestCase {
    private var fixture: CommunityFixture!

    override func setUpWithError() throws {
        try super.setUpWithError()
        fixture = try CommunityFixture.build(in: self)
    }

    private var store: Store { fixture.store }
    private func id(_ name: String) -> String { fixture.ids[name]! }

    func testFixtureHasTheCommunityItDescribes() throws {
        XCTAssertEqual(try store.members(MemberFilter.all).count, 211)
        XCTAssertEqual(try store.members().count, 209)
    }

    // MARK: Pyramid

    func testPyramidCountsLiveMembersWhoHaveNotLeftAndLeavesAdminsOut() throws {
        let report = try store.pyramidReport()
        // 6 KOL + 44 core + 150 members; 离开1…6 left, 删除1…2 deleted, 3 admins apart.
        XCTAssertEqual(report.total, 200)
        XCTAssertEqual(report.admins, 3)
        XCTAssertEqual(report.unclassified, 0)
        XCTAssertEqual(report.levels.map(\.role), [.kol, .core, .member])
        XCTAssertEqual(report.levels.map(\.count), [6, 44, 150])
        XCTAssertEqual(report.levels[0].share, 6.0 / 200, accuracy: 1e-12)   // 3.0%
        XCTAssertEqual(report.levels[1].share, 44.0 / 200, accuracy: 1e-12)  // 22.0%
        XCTAssertEqual(report.levels[2].share, 150.0 / 200, accuracy: 1e-12) // 75.0%
        // Tolerance a quarter of the guide: KOL needs 3.75%, core 15–25%.
        XCTAssertEqual(report.levels.map(\.verdict), [.below, .within, .within])
        XCTAssertEqual(report.levels[0].verdictText, "KOL 3.0% below the 5% guide")
        XCTAssertEqual(report.levels[1].verdictText, "core 22.0% within the 20% guide")
    }

    func testPyramidVerdictBoundsAreAQuarterOfTheGuideInclusive() {
        // 3.75% is the lowest KOL share still within, 6.25% the highest; 3/80 is exactly 3.75%.
        XCTAssertEqual(PyramidReport.verdict(share: 0.0375, guide: 0.05), .within)
        XCTAssertEqual(PyramidReport.verdict(share: 0.037, guide: 0.05), .below)
        XCTAssertEqual(PyramidReport.verdict(share: 0.0625, guide: 0.05), .within)
        XCTAssertEqual(PyramidReport.verdict(share: 0.063, guide: 0.05), .above)
        XCTAssertEqual(PyramidReport.verdict(share: 3.0 / 80, guide: 0.05), .within)
        XCTAssertEqual(PyramidReport.verdict(share: 0.1499, guide: 0.20), .below)
        XCTAssertEqual(PyramidReport.verdict(share: 0.95, guide: 0.75), .above)
        XCTAssertEqual(PyramidReport.percent(0.0204), "2.0%")
        XCTAssertEqual(PyramidReport.percent(1), "100.0%")
    }

    func testPyramidOfAnEmptyStoreHasNoShares() throws {
        let report = try makeStore().pyramidReport()
        XCTAssertEqual(report.total, 0)
        XCTAssertEqual(report.levels.map(\.share), [0, 0, 0])
    }

    // MARK: Referrals

    func testReferralsCountDirectReferralsAndChainDepth() throws {
        let report = try store.referralReport()
        let direct = Dictionary(uniqueKeysWithValues: report.referrers.map { ($0.member.name, $0.direct) })
        XCTAssertEqual(direct, ["达人1": 5, "核心01": 1, "成员001": 1, "成员002": 1, "成员003": 1, "成员010": 1, "删除2": 1])
        // Most referrals first, then by member number (核心01 was added before the 成员, 删除2 last).
        XCTAssertEqual(report.referrers.map(\.member.name), ["达人1", "核心01", "成员001", "成员002", "成员003", "成员010", "删除2"])
        XCTAssertTrue(report.referrers.last!.member.deleted)

        let depth = Dictionary(uniqueKeysWithValues: report.referred.map { ($0.member.name, $0.depth) })
        XCTAssertEqual(depth, [
            "成员001": 1, "成员002": 2, "成员003": 3, "成员004": 4,
            "成员010": 1, "成员011": 1, "成员012": 1, "成员013": 1, "成员014": 1, "成员015": 2,
            "成员020": 1,
        ])
        XCTAssertEqual(report.referred.first?.member.name, "成员004")
    }

    func testReferralChainsDeeperThanTwoLevelsAreWarnedWithTheWholeChain() throws {
        let report = try store.referralReport()
        XCTAssertEqual(report.warnings.map(\.member.name), ["成员004", "成员003"])
        XCTAssertEqual(report.warnings[0].chain, ["核心01", "成员001", "成员002", "成员003", "成员004"].map(id))
        XCTAssertEqual(report.warnings[1].chain, ["核心01", "成员001", "成员002", "成员003"].map(id))
        XCTAssertEqual(report.names[id("核心01")], "核心01")
    }

    func testReferralCycleFromConcurrentEditsEnds() throws {
        let a = try makeStore()
        let x = try a.add("甲"), y = try a.add("乙")
        try a.edit(x.id, [.referrer: y.id])
        // A cycle can only come from two laptops; write the closing edit as raw state.
        try a.write { tx in try tx.set(.memberCollection, y.id, "referrer", .text(x.id)) }
        let report = try a.referralReport()
        XCTAssertEqual(report.referred.count, 2)
        XCTAssertEqual(Set(report.referred.map(\.depth)), [1])
    }

    // MARK: Churn

    func testChurnPerMonthByJoinedDateAndStatusStamp() throws {
        let report = try store.churnReport(months: 6, today: CommunityFixture.today)
        XCTAssertEqual(report.months.map(\.month.description), ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        XCTAssertEqual(report.months.map(\.joined), [60, 40, 30, 20, 6, 0])
        // 成员141 went quiet in September but is active again: not a September loss.
        XCTAssertEqual(report.months.map(\.quiet), [0, 0, 0, 4, 5, 0])
        XCTAssertEqual(report.months.map(\.left), [0, 0, 0, 0, 4, 2])
    }

    func testChurnWindowEndsAtTodayAndRefusesSillyLengths() throws {
        let report = try store.churnReport(months: 2, today: CommunityFixture.day("2026-10-03"))
        XCTAssertEqual(report.months.map(\.month.description), ["2026-09", "2026-10"])
        XCTAssertEqual(report.months.map(\.joined), [20, 6])
        XCTAssertNotNil(storeError { try store.churnReport(months: 0) })
        // At the calendar's start there are fewer months to show, each once.
        let first = try store.churnReport(months: 3, today: CommunityFixture.day("1900-02-10"))
        XCTAssertEqual(first.months.map(\.month.description), ["1900-01", "1900-02"])
    }

    // MARK: Events

    func testEventsCompareTargetSignupsAndAttendanceOfLiveMembers() throws {
        let report = try store.eventReport()
        XCTAssertEqual(report.events.map(\.title), ["十月读书会线下场", "双十一直播", "线上分享", "年终聚会"])
        let byTitle = Dictionary(uniqueKeysWithValues: report.events.map { ($0.title, $0) })

        let october = try XCTUnwrap(byTitle["十月读书会线下场"])
        XCTAssertEqual([october.target, october.signups, october.attendance], [40, 30, 24])
        XCTAssertEqual(october.fillRate!, 30.0 / 40, accuracy: 1e-12)
        XCTAssertEqual(october.showUpRate!, 24.0 / 30, accuracy: 1e-12)

        // 删除1 signed up and came, then was deleted: not counted.
        let live = try XCTUnwrap(byTitle["双十一直播"])
        XCTAssertEqual([live.target, live.signups, live.attendance], [100, 49, 20])
        XCTAssertEqual(live.fillRate!, 0.49, accuracy: 1e-12)
        XCTAssertEqual(live.showUpRate!, 20.0 / 49, accuracy: 1e-12)

        let party = try XCTUnwrap(byTitle["年终聚会"])
        XCTAssertEqual(party.fillRate!, 10.0 / 60, accuracy: 1e-12)
        XCTAssertEqual(party.showUpRate!, 0.1, accuracy: 1e-12)

        let online = try XCTUnwrap(byTitle["线上分享"])
        XCTAssertNil(online.target)
        XCTAssertNil(online.fillRate)
        XCTAssertNil(online.showUpRate)
    }

    // MARK: Overdue

    func testOverdueGroupsUndoneTasksDueBeforeTodayByAssignee() throws {
        let report = try store.overdueReport(today: CommunityFixture.today)
        XCTAssertEqual(report.total, 4)
        XCTAssertEqual(report.groups.map(\.assignee), ["林", "王", nil])
        XCTAssertEqual(report.groups.map(\.count), [2, 1, 1])
        XCTAssertEqual(report.groups[0].tasks.map(\.title), ["发早安帖", "整理报名表"])
        XCTAssertEqual(report.groups[0].oldest.due, "2026-11-10")
        XCTAssertEqual(report.groups[0].oldest.daysLate, 10)
        XCTAssertEqual(report.groups[1].oldest.title, "周规则提醒")
        XCTAssertEqual(report.groups[1].oldest.daysLate, 1)
        XCTAssertEqual(report.groups[2].oldest.title, "无人认领")
        XCTAssertEqual(report.groups[2].oldest.daysLate, 15)
    }

    func testOverdueMovesWithToday() throws {
        // On 11-21 王's 复盘文档 (due 11-20) is late too.
        let report = try store.overdueReport(today: CommunityFixture.day("2026-11-21"))
        XCTAssertEqual(report.total, 5)
        XCTAssertEqual(report.groups.first { $0.assignee == "王" }?.count, 2)
        XCTAssertEqual(try store.overdueReport(today: CommunityFixture.day("2026-11-01")).total, 0)
    }
}
