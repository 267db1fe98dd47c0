import Foundation
import XCTest

/// A laptop whose clock is a day ahead syncs over HTTP: its requests, far outside the servers'
/// freshness window, are restamped with the server's time (and the operator is told), the
/// server holds its changes and the sender is told; the server's operator applies them with
/// `qun sync PEER --accept-skew`.
final class SyncSkewEndToEndTests: SyncTestCase {
    static let oneDay = ["QUN_CLOCK_OFFSET_MS": "86400000"]

    private func heldCount(_ status: [String: Any]) -> Int {
        (status["held"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"].flatMap(intValue) ?? 0) }
    }

    func testChangesFromAClockADayAheadAreHeldByTheServerUntilAccepted() throws {
        let a = initStore("a", operator: "林")
        let shared = addMember("张三", ["--city", "杭州"], store: a)
        let b = joinEmpty("b", operator: "未来", inviter: a, env: Self.oneDay)
        let aServer = try serve(a)

        // B gets A's records (its clock is ahead: nothing of A's is held on B).
        let first = sync(b, with: aServer.url, env: Self.oneDay)
        XCTAssertEqual(first["held"].flatMap(intValue), 0, "\(first)")
        XCTAssertGreaterThan(first["received"].flatMap(intValue) ?? 0, 0, "\(first)")
        // A's server refused B's request time (a day off its own clock, far outside the
        // freshness window) in a signed answer carrying its time; B stamped its requests
        // with that time, synced, and says so.
        let firstNotes = first["notes"] as? [String] ?? []
        XCTAssertTrue(firstNotes.contains { $0.contains("1d 0h ahead of") && $0.contains("set the clock right") }, "\(first)")

        // B writes a day ahead and syncs to A's server: A holds it, and B is told so.
        let stranger = addMember("李四", ["--tag", "未来", "--phone", "13700000000"], store: b, env: Self.oneDay)
        qun(["member", "edit", shared, "--city", "北京"], store: b, env: Self.oneDay)
        let bStatus = status(b, env: Self.oneDay)
        let bReplica = try XCTUnwrap(stringField(bStatus, "replica"))
        let bChanges = try XCTUnwrap(vectorEntry(bStatus, bReplica))
        let before = export(a)

        let report = sync(b, with: aServer.url, env: Self.oneDay)
        XCTAssertEqual(report["held_by_peer"].flatMap(intValue), bChanges, "A held all of B's changes: \(report)")
        XCTAssertEqual(report["sent"].flatMap(intValue), 0, "nothing applied on A: \(report)")

        let human = runQun(["sync", aServer.url], store: b, env: Self.oneDay)
        XCTAssertEqual(human.status, 0, human.stderr)

        var aStatus = status(a)
        XCTAssertEqual(heldCount(aStatus), bChanges, "every change of B is held on A: \(aStatus)")
        let held = try XCTUnwrap((aStatus["held"] as? [[String: Any]])?.first)
        XCTAssertEqual(stringField(held, "replica"), bReplica)
        let ahead = try XCTUnwrap(held["ahead_ms"].flatMap(intValue))
        XCTAssertGreaterThan(ahead, 86_400_000 - 10 * 60_000, "about a day ahead: \(ahead) ms")
        XCTAssertLessThanOrEqual(ahead, 86_400_000 + 60_000)
        XCTAssertNil(vectorEntry(aStatus, bReplica).flatMap { $0 > 0 ? $0 : nil }, "held changes are not in A's vector")
        XCTAssertEqual(export(a), before, "held changes do not touch A's data")
        XCTAssertNil(exportedMembers(export(a))[stranger])

        // A syncs back with B's server: still held (and A is told how to accept them).
        let bServer = try serve(b, env: Self.oneDay)
        let pulled = runQun(["sync", bServer.url, "--json"], store: a)
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        let pulledReport = jsonObject(pulled.stdout) ?? [:]
        XCTAssertEqual(pulledReport["still_held"].flatMap(intValue), bChanges, "\(pulledReport)")
        XCTAssertEqual(pulledReport["duplicates"].flatMap(intValue), 0, "held changes are not fetched again: \(pulledReport)")
        XCTAssertTrue((pulledReport["notes"] as? [String] ?? []).contains { $0.contains("behind") }, "\(pulledReport)")
        XCTAssertEqual(export(a), before)
        let plain = runQun(["sync", bServer.url], store: a)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("--accept-skew"), "says how to accept them:\n\(plain.stderr)")

        // The operator accepts.
        let accepted = sync(a, with: bServer.url, options: ["--accept-skew"])
        XCTAssertEqual(accepted["received"].flatMap(intValue), bChanges, "\(accepted)")
        XCTAssertEqual(accepted["still_held"].flatMap(intValue), 0, "\(accepted)")
        aStatus = status(a)
        XCTAssertEqual(heldCount(aStatus), 0, "\(aStatus)")
        XCTAssertEqual(vectorEntry(aStatus, bReplica), bChanges)
        let members = exportedMembers(export(a))
        XCTAssertEqual(stringField(members[stranger], "name"), "李四")
        XCTAssertEqual(stringField(members[shared], "city"), "北京", "B's edit, stamped a day ahead, wins")
        XCTAssertEqual(export(a), export(b, env: Self.oneDay))

        XCTAssertEqual(aServer.child.stop(), 0, aServer.child.stderr)
        XCTAssertEqual(bServer.child.stop(), 0, bServer.child.stderr)
    }
}
