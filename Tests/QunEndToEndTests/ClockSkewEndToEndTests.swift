import Foundation
import XCTest

/// A laptop whose clock is a day ahead must not win every conflict: its changes are held,
/// reported, and applied only when the operator accepts them. The wrong clock is faked with
/// `QUN_CLOCK_OFFSET_MS`, which shifts the wall clock of one qun process.
final class ClockSkewEndToEndTests: QunTestCase {
    static let oneDay = ["QUN_CLOCK_OFFSET_MS": "86400000"]

    private func heldCount(_ status: [String: Any]) -> Int {
        (status["held"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"].flatMap(intValue) ?? 0) }
    }

    func testChangesFromAClockADayAheadAreHeldUntilAccepted() throws {
        let home = initStore("home", operator: "林")
        let shared = addMember("张三", ["--city", "杭州"], store: home)
        let future = joinStore("future", operator: "未来", inviter: home, env: Self.oneDay)
        carry(from: home, to: future, named: "home.qunbundle")

        // The skewed laptop edits a shared member and adds one of its own.
        qun(["member", "edit", shared, "--city", "北京", "--notes", "时钟快了一天"], store: future, env: Self.oneDay)
        let stranger = addMember("李四", ["--tag", "未来"], store: future, env: Self.oneDay)
        let futureStatus = status(future, env: Self.oneDay)
        let futureReplica = try XCTUnwrap(stringField(futureStatus, "replica"))
        let futureChanges = try XCTUnwrap(vectorEntry(futureStatus, futureReplica))
        let bundle = path("future.qunbundle")
        qun(["bundle", "export", bundle.path], store: future, env: Self.oneDay)

        // Importing on a laptop with a correct clock: nothing applied, everything held.
        let before = export(home)
        let imported = runQun(["bundle", "import", bundle.path], store: home)
        XCTAssertEqual(imported.status, 0, "holding is not an error: \(imported.stderr)")
        XCTAssertTrue(imported.stderr.contains("held"), "stderr says changes were held:\n\(imported.stderr)")
        XCTAssertTrue(imported.stderr.contains("--accept-skew"), "stderr says how to accept them:\n\(imported.stderr)")
        XCTAssertEqual(export(home), before, "held changes do not touch the data")
        var homeStatus = status(home)
        XCTAssertEqual(heldCount(homeStatus), futureChanges, "every change of the skewed replica is held: \(homeStatus)")
        let held = try XCTUnwrap((homeStatus["held"] as? [[String: Any]])?.first)
        XCTAssertEqual(stringField(held, "replica"), futureReplica)
        let ahead = try XCTUnwrap(held["ahead_ms"].flatMap(intValue))
        XCTAssertGreaterThan(ahead, 86_400_000 - 10 * 60_000, "about a day ahead: \(ahead) ms")
        XCTAssertLessThanOrEqual(ahead, 86_400_000 + 60_000)
        XCTAssertNil(vectorEntry(homeStatus, futureReplica).flatMap { $0 > 0 ? $0 : nil }, "held changes are not in the vector")
        let human = qun(["status"], store: home)
        XCTAssertTrue(human.contains("held"), "human status shows held changes:\n\(human)")

        // Importing again holds nothing twice.
        let again = importBundle(bundle, into: home)
        XCTAssertEqual(again["applied"].flatMap(intValue), 0)
        XCTAssertEqual(export(home), before)
        XCTAssertEqual(heldCount(status(home)), futureChanges)

        // The operator accepts: everything goes in, nothing stays held.
        let accepted = runQun(["bundle", "import", bundle.path, "--accept-skew"], store: home)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        homeStatus = status(home)
        XCTAssertEqual(heldCount(homeStatus), 0, "nothing held after --accept-skew: \(homeStatus)")
        XCTAssertEqual(vectorEntry(homeStatus, futureReplica), futureChanges)
        var members = exportedMembers(export(home))
        XCTAssertEqual(stringField(members[shared], "city"), "北京")
        XCTAssertEqual(stringField(members[stranger], "name"), "李四")

        // Accepting does not drag this laptop's clock a day ahead (that would spread the bad
        // clock to every teammate): its own new changes stay stamped near real time, so a
        // teammate with a correct clock takes them at once, and a local edit of the field the
        // future change set loses to it until real time passes that stamp.
        qun(["member", "edit", shared, "--city", "上海"], store: home)
        let homeBundle = path("home-2.qunbundle")
        qun(["bundle", "export", homeBundle.path], store: home)
        let onTime = joinStore("on-time", operator: "赵", inviter: home)
        let relayed = importBundle(homeBundle, into: onTime)
        XCTAssertEqual(relayed["held"].flatMap(intValue), futureChanges, "only the future laptop's own changes are held")
        qun(["bundle", "import", homeBundle.path], store: future, env: Self.oneDay)
        members = exportedMembers(export(home))
        XCTAssertEqual(stringField(members[shared], "city"), "北京", "the change stamped a day ahead still wins until that day comes")
        XCTAssertEqual(stringField(members[shared], "notes"), "时钟快了一天")
        XCTAssertEqual(export(home), export(future, env: Self.oneDay))
    }

    func testSmallSkewIsAppliedAtOnce() {
        let home = initStore("home", operator: "林")
        let minuteAhead = ["QUN_CLOCK_OFFSET_MS": "60000"]
        let other = joinStore("other", operator: "王", inviter: home, env: minuteAhead)
        let id = addMember("王五", store: other, env: minuteAhead)
        let bundle = path("other.qunbundle")
        qun(["bundle", "export", bundle.path], store: other, env: minuteAhead)
        let report = importBundle(bundle, into: home)
        XCTAssertEqual(report["held"].flatMap(intValue), 0, "a minute is within the 10-minute bound")
        XCTAssertGreaterThan(report["applied"].flatMap(intValue) ?? 0, 0)
        XCTAssertNotNil(exportedMembers(export(home))[id])
        XCTAssertEqual(heldCount(status(home)), 0)
    }
}
