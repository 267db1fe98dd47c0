import Foundation
import QunCore
import QunStore
import XCTest

final class ReplicaClashTests: StoreTestCase {
    func testAChangeUnderOurOwnIDThatWeNeverMadeIsRefused() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let own = store.identity.replica
        let made = try store.versionVector()[own]
        let before = try store.fingerprint()

        let foreign = ReplicaID.random()
        let innocent = remoteChange(foreign, 1, at: Store.systemClock() - 1000, record: member.id, field: "city", .set(.text("上海")))
        let impostor = remoteChange(own, made + 5, at: Store.systemClock() - 1000, record: member.id, field: "name", .set(.text("冒名")))

        XCTAssertThrowsStoreError(.replicaClash(replica: own.hex, seq: made + 5)) {
            try store.apply([innocent, impostor])
        }
        XCTAssertEqual(try store.fingerprint(), before, "nothing of the batch is applied")
        XCTAssertEqual(try store.versionVector()[foreign], 0)
        XCTAssertEqual(try store.member(member.id).name, "张三")

        // The store keeps working, and its next own change takes the next seq.
        try store.edit(member.id, [.city: "杭州"])
        XCTAssertEqual(try store.versionVector()[own], made + 2, "the edit and its commit's signature")
    }

    func testAnEchoOfOurOwnChangeIsADuplicateButAnAlteredOneClashes() throws {
        let store = try makeStore()
        try store.add("张三")
        let own = try store.changes().filter { $0.id.replica == store.identity.replica }
        let before = try store.fingerprint()

        let echo = try store.apply(own)
        XCTAssertEqual(echo.duplicates, own.count)
        XCTAssertEqual(echo.applied, 0)
        XCTAssertEqual(try store.fingerprint(), before)

        var altered = own[1]
        altered.hlc = HLC(rawValue: altered.hlc.rawValue + 1)
        XCTAssertThrowsStoreError(.replicaClash(replica: altered.id.replica.hex, seq: altered.id.seq)) {
            try store.apply([altered])
        }
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testTwoStoresSharingAnIDAreDetectedByAThirdOne() throws {
        // The same (replica, seq) with a different stamp can only come from two stores that
        // share an id: the receiver refuses rather than silently dropping one of them.
        let receiver = try makeStore(name: "receiver")
        let shared = ReplicaID.random()
        let record = RecordID.random()
        let now = Store.systemClock()
        try receiver.apply([remoteChange(shared, 1, at: now - 2000, record: record, .set(.text("甲")))])
        let before = try receiver.fingerprint()
        XCTAssertThrowsStoreError(.replicaClash(replica: shared.hex, seq: 1)) {
            try receiver.apply([remoteChange(shared, 1, at: now - 1000, record: record, .set(.text("乙")))])
        }
        XCTAssertEqual(try receiver.fingerprint(), before)
        XCTAssertEqual(try receiver.member(record).name, "甲")
    }

    func testTheSameIDAndTimeWithOtherContentClashesToo() throws {
        // A forger who copies a teammate's (replica, seq) and stamp but not the content: once
        // both meet in one store, it is a clash, never a duplicate quietly skipped.
        let receiver = try makeStore(name: "receiver")
        let author = ReplicaID.random()
        let record = RecordID.random()
        let now = Store.systemClock() - 1000
        try receiver.apply([remoteChange(author, 1, at: now, record: record, .set(.text("真的")))])
        let before = try receiver.fingerprint()
        for forged in [
            remoteChange(author, 1, at: now, record: record, .set(.text("假的"))),
            remoteChange(author, 1, at: now, record: RecordID.random(), .set(.text("真的"))),
            remoteChange(author, 1, at: now, record: record, .add("真的")),
        ] {
            XCTAssertThrowsStoreError(.replicaClash(replica: author.hex, seq: 1)) { try receiver.apply([forged]) }
        }
        XCTAssertEqual(try receiver.fingerprint(), before)
        XCTAssertEqual(try receiver.apply([remoteChange(author, 1, at: now, record: record, .set(.text("真的")))]).duplicates, 1)
    }

    func testTheClashMessageSaysWhatToDo() {
        let message = StoreError.replicaClash(replica: String(repeating: "ab", count: 16), seq: 7).description
        XCTAssertTrue(message.contains("abababab"), message)
        XCTAssertTrue(message.contains("nothing was applied"), message)
    }
}
