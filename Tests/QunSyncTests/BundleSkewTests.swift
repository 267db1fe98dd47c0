import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

final class BundleSkewTests: SyncTestCase {
    private static let day: Int64 = 86_400_000

    /// A receiver with the real clock, and a sender of its team whose clock runs a day ahead.
    private func skewedPair() throws -> (receiver: Store, sender: Store) {
        let receiver = try makeStore("林晓")
        let sender = try makeStore("未来", team: receiver.identity.team, now: { Store.systemClock() + BundleSkewTests.day })
        return (receiver, sender)
    }

    func testChangesFromADayAheadAreHeldThenAccepted() throws {
        let (receiver, sender) = try skewedPair()
        try receiver.add("本地")
        try sender.add("张三") { $0.tags = ["早鸟"] }
        try sender.add("李四")
        let url = try bundleURL()
        let written = try sender.exportBundle(to: url)
        XCTAssertGreaterThan(written.changes, 0)
        let state = try receiver.fingerprint()
        let export = try receiver.exportText()

        let report = try receiver.importBundle(from: url)
        XCTAssertEqual(report.apply.received, written.changes)
        XCTAssertEqual(report.apply.held, written.changes, "every change of the sender is a day ahead")
        XCTAssertGreaterThan(report.apply.held, 0)
        XCTAssertEqual(report.apply.applied, 0)
        XCTAssertEqual(report.apply.duplicates, 0)
        let ahead = try XCTUnwrap(report.apply.heldAhead[sender.replica])
        XCTAssertGreaterThan(ahead, Self.day - 3_600_000)
        XCTAssertLessThanOrEqual(ahead, Self.day + 3_600_000)

        XCTAssertEqual(try receiver.exportText(), export, "held changes change nothing visible")
        XCTAssertEqual(try receiver.versionVector()[sender.replica], 0)
        XCTAssertEqual(try receiver.heldChanges().count, written.changes)
        XCTAssertEqual(try receiver.status().held[sender.replica]?.count, written.changes)
        XCTAssertNotEqual(try receiver.fingerprint(), state)

        // Importing again without accepting: still held, nothing applied, nothing doubled.
        let again = try receiver.importBundle(from: url)
        XCTAssertEqual(again.apply.applied, 0)
        XCTAssertEqual(again.apply.held, written.changes)
        XCTAssertEqual(try receiver.heldChanges().count, written.changes)
        XCTAssertEqual(try receiver.exportText(), export)

        // The operator decides to take them.
        // The held copies are released (counted once, as released); the bundle's own copies
        // of them are then duplicates.
        let accepted = try receiver.importBundle(from: url, acceptSkew: true)
        XCTAssertEqual(accepted.apply.released, written.changes)
        XCTAssertEqual(accepted.apply.applied, 0)
        XCTAssertEqual(accepted.apply.duplicates, written.changes)
        XCTAssertEqual(accepted.apply.held, 0)
        XCTAssertEqual(try receiver.heldChanges().count, 0)
        XCTAssertEqual(try receiver.versionVector()[sender.replica], try sender.versionVector()[sender.replica])
        XCTAssertEqual(try receiver.exportSection(.memberCollection).contains("张三"), true)

        // And after a bundle back, both print the same export.
        let back = try bundleURL("back.qunb")
        try receiver.exportBundle(to: back)
        try sender.importBundle(from: back)
        XCTAssertEqual(try receiver.exportText(), try sender.exportText())
    }

    func testAcceptSkewOnAFreshImportAppliesEverything() throws {
        let (receiver, sender) = try skewedPair()
        try sender.add("张三")
        let url = try bundleURL()
        let written = try sender.exportBundle(to: url)
        let report = try receiver.importBundle(from: url, acceptSkew: true)
        XCTAssertEqual(report.apply.applied, written.changes)
        XCTAssertEqual(report.apply.held, 0)
        XCTAssertEqual(try receiver.exportSection(.memberCollection), try sender.exportSection(.memberCollection))
    }

    func testOnlyTheSkewedChangesOfAMixedBundleAreHeld() throws {
        let (receiver, sender) = try skewedPair()
        let onTime = try makeStore("阿杰", team: receiver.identity.team)
        try onTime.add("准时")
        let relay = try bundleURL("relay.qunb")
        try onTime.exportBundle(to: relay)
        try sender.importBundle(from: relay)
        try sender.add("超前")

        let url = try bundleURL()
        let written = try sender.exportBundle(to: url)
        let onTimeCount = try onTime.changes().count
        let senderCount = try sender.changes(since: VersionVector([onTime.replica: Int64(onTimeCount)])).count
        XCTAssertEqual(written.changes, onTimeCount + senderCount)

        let report = try receiver.importBundle(from: url)
        XCTAssertEqual(report.apply.applied, onTimeCount, "the relayed changes carry their own, correct clock")
        XCTAssertEqual(report.apply.held, senderCount)
        XCTAssertEqual(Set(report.apply.heldAhead.keys), [sender.replica])
        XCTAssertEqual(try receiver.exportSection(.memberCollection), try onTime.exportSection(.memberCollection))

        let accepted = try receiver.acceptHeldChanges()
        XCTAssertEqual(accepted.released, senderCount)
        XCTAssertEqual(accepted.applied, 0, "released changes are not counted twice")
        XCTAssertEqual(try receiver.exportSection(.memberCollection), try sender.exportSection(.memberCollection))
    }

    func testAWiderSkewBoundLetsThemIn() throws {
        let (receiver, sender) = try skewedPair()
        try sender.add("张三")
        let url = try bundleURL()
        let written = try sender.exportBundle(to: url)
        receiver.setMaximumSkew(milliseconds: 2 * Self.day)
        let report = try receiver.importBundle(from: url)
        XCTAssertEqual(report.apply.applied, written.changes)
        XCTAssertEqual(report.apply.held, 0)
    }
}
