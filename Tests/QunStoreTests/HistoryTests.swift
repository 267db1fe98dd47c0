import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

final class HistoryTests: StoreTestCase {
    private func assertOrdered(_ history: [Change], file: StaticString = #filePath, line: UInt = #line) {
        for (earlier, later) in zip(history, history.dropFirst()) {
            XCTAssertLessThan(earlier.stamp, later.stamp, "history must be in (hlc, replica) order", file: file, line: line)
        }
    }

    func testHistoryShowsEveryKindOfChangeInTimeOrder() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let member = try store.add("张三") { $0.tags = ["读书会"] }
        clock.advance(by: 1000)
        try store.edit(member.id, [.city: "上海"])
        clock.advance(by: 1000)
        try store.edit(member.id, untag: ["读书会"])
        clock.advance(by: 1000)
        try store.logInteraction(member.id, "沟通")
        clock.advance(by: 1000)
        try store.removeMember(member.id)
        clock.advance(by: 1000)
        try store.restoreMember(member.id)

        let history = try store.history(collection: .memberCollection, id: member.id)
        assertOrdered(history)
        XCTAssertEqual(history.map(\.operation.name),
                       ["set", "set", "set", "set", "set", "add", "set", "remove", "append", "delete", "restore"])
        XCTAssertEqual(history.prefix(5).map(\.field), ["number", "name", "role", "status", "joined"])
        XCTAssertTrue(history.allSatisfy { $0.collection == .memberCollection && $0.record == member.id })
        XCTAssertTrue(history.allSatisfy { $0.id.replica == store.identity.replica })
        XCTAssertEqual(history.map(\.id.seq), history.map(\.id.seq).sorted())

        // Removes and restores name exactly what they observed.
        let add = history[5]
        XCTAssertEqual(history[7].operation, .remove("读书会", observed: [add.id]))
        let delete = history[9]
        XCTAssertEqual(delete.field, "")
        XCTAssertEqual(history[10].operation, .restore(observed: [delete.id]))
        XCTAssertEqual(history[6].operation, .set(.text("上海")))
        XCTAssertEqual(history[8].operation, .append("沟通"))
        XCTAssertEqual(history[6].hlc.milliseconds, TestClock.start + 1000)
    }

    func testHistoryOfADeletedMemberStaysReadable() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        try store.removeMember(member.id)
        let history = try store.history(collection: .memberCollection, id: member.id)
        XCTAssertEqual(history.last?.operation, .delete)
        XCTAssertEqual(history.count, 6)
    }

    func testHistoryMergesReplicasByStamp() throws {
        let clockA = TestClock()
        let clockB = TestClock(TestClock.start + 500)
        let stores = try makeTeam(["a", "b"], clocks: [clockA, clockB])
        let (a, b) = (stores[0], stores[1])
        let member = try a.add("张三")
        try exchange(a, b)
        for step in 0..<5 {
            clockA.advance(by: 1000)
            clockB.advance(by: 1000)
            try a.edit(member.id, [.notes: "a\(step)"])
            try b.edit(member.id, [.city: "b\(step)"])
        }
        try exchange(a, b)
        let history = try a.history(collection: .memberCollection, id: member.id)
        XCTAssertEqual(history, try b.history(collection: .memberCollection, id: member.id))
        assertOrdered(history)
        XCTAssertEqual(history.suffix(10).map { $0.operation }, (0..<5).flatMap { step in
            [QunCore.Operation.set(.text("a\(step)")), .set(.text("b\(step)"))]
        })
    }

    func testHistoryOfAnUnknownRecordIsEmpty() throws {
        let store = try makeStore()
        XCTAssertEqual(try store.history(collection: .memberCollection, id: RecordID.random()), [])
    }

    func testIdPrefixLookupAcrossCollections() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let found = try store.records(idPrefix: String(member.id.prefix(6)).uppercased())
        XCTAssertTrue(found.contains { $0.collection == .memberCollection && $0.id == member.id })
        let operators = try store.records(idPrefix: String(store.identity.replica.hex.prefix(8)))
        XCTAssertTrue(operators.contains { $0.collection == .operatorCollection && $0.id == store.identity.replica.hex })
    }
}
