import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

final class SkewTests: StoreTestCase {
    private let hour: Int64 = 3_600_000
    private let minute: Int64 = 60_000

    /// A remote member with a name, made by `replica` at `milliseconds`.
    private func remoteMember(_ replica: ReplicaID, seq: Int64 = 1, at milliseconds: Int64,
                              name: String = "未来人", record: String = RecordID.random()) -> Change {
        remoteChange(replica, seq, at: milliseconds, record: record, field: "name", .set(.text(name)))
    }

    func testAChangeAnHourAheadIsHeldThenReleasedWhenTheClockCatchesUp() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let remote = ReplicaID.random()
        let change = remoteMember(remote, at: clock.now + hour)
        let before = try store.fingerprint()

        let report = try store.apply([change])
        XCTAssertEqual(report.received, 1)
        XCTAssertEqual(report.held, 1)
        XCTAssertEqual(report.applied, 0)
        XCTAssertEqual(report.heldAhead[remote], hour)
        XCTAssertEqual(try store.fingerprint(), before, "a held change is not applied")
        XCTAssertFalse(try store.exportText().contains("未来人"))
        XCTAssertEqual(try store.versionVector()[remote], 0)

        let held = try store.heldChanges()
        XCTAssertEqual(held.count, 1)
        XCTAssertEqual(held.first?.change, change)
        XCTAssertEqual(held.first?.aheadMilliseconds, hour)
        let status = try store.status()
        XCTAssertEqual(status.held[remote]?.count, 1)
        XCTAssertEqual(status.held[remote]?.aheadMilliseconds, hour)

        // Delivered again: still one held change.
        XCTAssertEqual(try store.apply([change]).held, 1)
        XCTAssertEqual(try store.heldChanges().count, 1)

        // Time passes, but not enough.
        clock.advance(by: 30 * minute)
        let early = try store.apply([])
        XCTAssertEqual(early.released, 0)
        XCTAssertEqual(try store.heldChanges().first?.aheadMilliseconds, 30 * minute)

        // Another process opens the store later, with a clock that has caught up.
        let later = try Store.open(at: store.directory, now: { TestClock.start + 55 * 60_000 })
        XCTAssertEqual(later.identity, store.identity)
        let released = try later.apply([])
        XCTAssertEqual(released.released, 1)
        XCTAssertEqual(released.applied, 0, "a released change is counted once, as released")
        XCTAssertEqual(try later.heldChanges(), [])
        XCTAssertTrue(try later.exportText().contains("未来人"))
        XCTAssertEqual(try later.versionVector()[remote], 1)
        XCTAssertEqual(try store.member(change.record).name, "未来人")
    }

    func testAcceptHeldChangesAppliesThemNow() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let remote = ReplicaID.random()
        let record = RecordID.random()
        let changes = [
            remoteMember(remote, seq: 1, at: clock.now + hour, record: record),
            remoteChange(remote, 2, at: clock.now + 24 * hour, record: record, field: "city", .set(.text("火星"))),
        ]
        XCTAssertEqual(try store.apply(changes).held, 2)
        XCTAssertEqual(try store.heldChanges().map(\.change), changes, "oldest first")

        let report = try store.acceptHeldChanges()
        XCTAssertEqual(report.released, 2)
        XCTAssertEqual(report.applied, 0, "released changes are counted once, as released")
        XCTAssertEqual(try store.heldChanges(), [])
        let member = try store.member(record)
        XCTAssertEqual(member.name, "未来人")
        XCTAssertEqual(member.city, "火星")
        XCTAssertEqual(try store.versionVector()[remote], 2)

        // An accepted change does not drag this laptop's clock (and so every later edit,
        // spreading the skew to the team) beyond the skew bound.
        try store.edit(record, [.notes: "本地"])
        let local = try store.history(collection: .memberCollection, id: record).last { $0.id.replica == store.identity.replica }!
        // (+1: the clock stops at the bound with a full counter, and the next stamp borrows a millisecond.)
        XCTAssertLessThanOrEqual(local.hlc.milliseconds, clock.now + store.skewPolicy.maximumAheadMilliseconds + 1)
    }

    func testApplyWithAcceptSkewTakesTheBatchAsIs() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let change = remoteMember(.random(), at: clock.now + hour)
        let report = try store.apply([change], acceptSkew: true)
        XCTAssertEqual(report.held, 0)
        XCTAssertEqual(report.applied, 1)
        XCTAssertEqual(try store.member(change.record).name, "未来人")
    }

    func testAnAcceptedChangeSentAgainIsADuplicateNotHeldAgain() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let change = remoteMember(.random(), at: clock.now + hour)
        try store.apply([change], acceptSkew: true)
        let again = try store.apply([change])
        XCTAssertEqual(again.held, 0)
        XCTAssertEqual(again.duplicates, 1)
        XCTAssertEqual(try store.heldChanges(), [])
    }

    func testChangesWithinTheBoundAreApplied() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let remote = ReplicaID.random()
        let fiveMinutes = remoteMember(remote, seq: 1, at: clock.now + 5 * minute, name: "五分钟")
        let atTheBound = remoteMember(remote, seq: 2, at: clock.now + 10 * minute, name: "十分钟")
        let past = remoteMember(remote, seq: 3, at: clock.now - 365 * 24 * hour, name: "去年")
        let report = try store.apply([fiveMinutes, atTheBound, past])
        XCTAssertEqual(report.applied, 3)
        XCTAssertEqual(report.held, 0)
        XCTAssertEqual(Set(try store.members().map(\.name)), ["五分钟", "十分钟", "去年"])

        let justBeyond = remoteMember(remote, seq: 4, at: clock.now + 10 * minute + 1, name: "太快")
        XCTAssertEqual(try store.apply([justBeyond]).held, 1)
        XCTAssertEqual(try store.versionVector()[remote], 3)
    }

    func testAHeldChangeDoesNotStopTheRestOfTheBatch() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let remote = ReplicaID.random()
        let record = RecordID.random()
        let batch = [
            remoteMember(remote, seq: 1, at: clock.now - 1000, name: "张三", record: record),
            remoteChange(remote, 2, at: clock.now + hour, record: record, field: "city", .set(.text("火星"))),
            remoteChange(remote, 3, at: clock.now - 500, record: record, field: "notes", .set(.text("ok"))),
        ]
        let report = try store.apply(batch)
        XCTAssertEqual(report.applied, 2)
        XCTAssertEqual(report.held, 1)
        let member = try store.member(record)
        XCTAssertEqual(member.name, "张三")
        XCTAssertNil(member.city)
        XCTAssertEqual(member.notes, "ok")
        XCTAssertEqual(try store.versionVector()[remote], 1, "seq 2 is missing until released")
        XCTAssertEqual(try store.changes().filter { $0.id.replica == remote }.map(\.id.seq), [1, 3])
    }

    func testAWrongClockDoesNotWinAConflictSilently() throws {
        // A laptop whose clock is a day ahead edits a field; its change is held, so a later
        // honest edit is what everyone sees.
        let honest = TestClock()
        let wrong = TestClock(TestClock.start + 24 * hour)
        let stores = try makeTeam(["honest", "wrong"], clocks: [honest, wrong])
        let (a, b) = (stores[0], stores[1])
        let member = try a.add("张三")
        try push(a, b)
        try b.edit(member.id, [.city: "错的"])
        let report = try push(b, a)
        XCTAssertGreaterThan(report.held, 0)
        XCTAssertNil(try a.member(member.id).city)
        XCTAssertEqual(try a.heldChanges().first?.aheadMilliseconds, 24 * hour)
    }

    func testTheBoundIsSettable() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        store.setMaximumSkew(milliseconds: minute)
        XCTAssertEqual(store.skewPolicy.maximumAheadMilliseconds, minute)
        let remote = ReplicaID.random()
        XCTAssertEqual(try store.apply([remoteMember(remote, seq: 1, at: clock.now + 2 * minute)]).held, 1)
        XCTAssertEqual(try store.apply([remoteMember(remote, seq: 2, at: clock.now + minute)]).applied, 1)
        store.setMaximumSkew(milliseconds: 5 * minute)
        let report = try store.apply([])
        XCTAssertEqual(report.released, 1, "a wider bound releases what it now allows")
    }
}
