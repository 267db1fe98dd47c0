import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// Data qun itself does not write but a newer or misbehaving peer may send: unknown
/// collections, fields and operations, every value type, text that differs only in Unicode
/// normalisation, NUL characters and NaN.
final class UnusualDataTests: StoreTestCase {
    func testUnknownCollectionsFieldsAndOperationsAreKeptAndForwarded() throws {
        let stores = try makeTeam(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        let member = try a.add("张三")
        let newer = ReplicaID.random()
        let now = Store.systemClock() - 10_000
        let task = RecordID.random()
        let fromTheFuture = [
            remoteChange(newer, 1, at: now, collection: "task", record: task, field: "title", .set(.text("周报"))),
            remoteChange(newer, 2, at: now, collection: "task", record: task, field: "labels", .add("sop")),
            remoteChange(newer, 3, at: now, record: member.id, field: "mood", .set(.text("开心"))),
            remoteChange(newer, 4, at: now, record: member.id, field: "score", .unknown(code: 42, payload: [1, 2, 3])),
            remoteChange(newer, 5, at: now, collection: "event", record: "e1", field: "", .unknown(code: 200, payload: [])),
        ]
        XCTAssertEqual(try a.apply(fromTheFuture).applied, fromTheFuture.count)
        let kept = try a.changes().filter { $0.id.replica == newer }
        XCTAssertEqual(kept, fromTheFuture, "stored unchanged, unknown operations included")

        let export = try a.exportText()
        XCTAssertTrue(export.contains("\"task\":[{\"id\":\"\(task)\",\"labels\":[\"sop\"],\"title\":\"周报\"}]"), export)
        XCTAssertTrue(export.contains("\"mood\":\"开心\""), export)
        XCTAssertEqual(try a.member(member.id).name, "张三", "unknown fields do not disturb the member")

        // Forwarded to a peer that never saw the newer replica.
        try exchange(a, b)
        XCTAssertEqual(try b.changes().filter { $0.id.replica == newer }, fromTheFuture)
        XCTAssertEqual(try b.exportText(), try a.exportText())
        XCTAssertEqual(try b.exportText(), document(of: try a.changes()).export().compact)
    }

    func testValuesOfEveryTypeMatchTheDocument() throws {
        let store = try makeStore()
        let remote = ReplicaID.random()
        let now = Store.systemClock() - 10_000
        let record = RecordID.random()
        let values: [(String, Value)] = [
            ("int", .int(-42)), ("big", .int(.max)), ("real", .real(1.5)), ("negativeZero", .real(-0.0)),
            ("infinite", .real(.infinity)), ("text", .text("引号\"\\ 换行\n 😀")), ("empty", .text("")),
            ("cleared", .null),
        ]
        let changes = values.enumerated().map { index, item in
            remoteChange(remote, Int64(index + 1), at: now, collection: "thing", record: record, field: item.0, .set(item.1))
        }
        try store.apply(changes)
        XCTAssertEqual(try store.exportSection("thing"), section(document(of: changes).export(), "thing"))
        XCTAssertEqual(try store.changes().filter { $0.id.replica == remote }.map(\.operation), changes.map(\.operation))
    }

    func testTagsDifferingOnlyInNormalisationStayDistinctAndConverge() throws {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        XCTAssertEqual(nfc, nfd, "Swift compares them equal; their bytes differ")
        let stores = try makeTeam(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        let member = try a.add("张三")
        try exchange(a, b)
        try a.edit(member.id, tag: [nfc])
        try b.edit(member.id, tag: [nfd])
        try exchange(a, b)

        XCTAssertEqual(try a.exportText(), try b.exportText(), "converged stores print the same bytes")
        XCTAssertEqual(try a.exportText(), document(of: try a.changes()).export().compact)
        XCTAssertEqual(try a.member(member.id).tags.map { Array($0.utf8) }, [Array(nfd.utf8), Array(nfc.utf8)].sorted { $0.lexicographicallyPrecedes($1) })
        XCTAssertEqual(try b.member(member.id).tags.map { Array($0.utf8) }, try a.member(member.id).tags.map { Array($0.utf8) })

        // Removing one form removes exactly that form.
        try a.edit(member.id, untag: [nfd])
        try exchange(a, b)
        XCTAssertEqual(try b.member(member.id).tags.map { Array($0.utf8) }, [Array(nfc.utf8)])
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    func testTextWithANulCharacterIsRefusedWholly() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let before = try store.fingerprint()
        // SQLite keeps the NUL but reading text back stops at it: the store would show and
        // forward something other than what it was given.
        for (label, body) in [
            ("name", { _ = try store.add("a\u{0}b") }),
            ("notes", { _ = try store.edit(member.id, [.notes: "x\u{0}y"]) }),
            ("tag", { _ = try store.edit(member.id, tag: ["t\u{0}"]) }),
            ("log", { _ = try store.logInteraction(member.id, "hi\u{0}") }),
        ] as [(String, () throws -> Void)] {
            XCTAssertThrowsError(try body(), label)
            XCTAssertEqual(try store.fingerprint(), before, label)
        }
        let remote = ReplicaID.random()
        let now = Store.systemClock() - 1000
        for change in [
            remoteChange(remote, 2, at: now, record: member.id, field: "notes", .set(.text("a\u{0}b"))),
            remoteChange(remote, 2, at: now, record: "x\u{0}y", field: "notes", .set(.text("ab"))),
            remoteChange(remote, 2, at: now, collection: "ta\u{0}sk", record: "x", field: "notes", .set(.text("ab"))),
            remoteChange(remote, 2, at: now, record: member.id, field: "f\u{0}", .set(.text("ab"))),
            remoteChange(remote, 2, at: now, record: member.id, field: "tags", .add("a\u{0}")),
            remoteChange(remote, 2, at: now, record: member.id, field: "log", .append("a\u{0}")),
        ] {
            let fine = remoteChange(remote, 1, at: now, record: member.id, field: "city", .set(.text("上海")))
            guard case .invalidChange? = storeError({ try store.apply([fine, change]) }) else {
                XCTFail("\(change) should be refused as an invalid change"); continue
            }
            XCTAssertEqual(try store.fingerprint(), before, "nothing of the batch is applied")
        }
        XCTAssertEqual(try store.heldChanges(), [])
    }

    func testNaNIsRefused() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        let change = remoteChange(.random(), 1, at: Store.systemClock() - 1000, collection: "thing", record: "r", field: "score", .set(.real(.nan)))
        guard case .invalidChange? = storeError({ try store.apply([change]) }) else { return XCTFail("NaN must be refused") }
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testRecordIDsDifferingOnlyInNormalisationAreKeptApartAndForwardedExactly() throws {
        // qun makes hex ids, but a peer may send any text. SQLite keeps "caf\u{E9}" and
        // "cafe\u{301}" apart; the store must not merge them in its caches, or how a batch
        // was split would decide what it holds and forwards.
        let oneBatch = try makeStore(name: "a")
        let oneByOne = try makeStore(name: "b")
        let remote = ReplicaID.random()
        let now = Store.systemClock() - 1000
        let changes = [
            remoteChange(remote, 1, at: now, collection: "thing", record: "caf\u{E9}", field: "x", .set(.text("1"))),
            remoteChange(remote, 2, at: now, collection: "thing", record: "cafe\u{301}", field: "y", .set(.text("2"))),
        ]
        try oneBatch.apply(changes)
        for change in changes { try oneByOne.apply([change]) }
        func bytes(_ store: Store) throws -> [[UInt8]] {
            try store.changes().filter { $0.id.replica == remote }.map { Array($0.record.utf8) }
        }
        XCTAssertEqual(try bytes(oneBatch), changes.map { Array($0.record.utf8) }, "forwarded exactly as received")
        XCTAssertEqual(try bytes(oneByOne), changes.map { Array($0.record.utf8) })
        XCTAssertEqual(try oneBatch.exportSection("thing"), try oneByOne.exportSection("thing"))
        XCTAssertEqual(try oneBatch.history(collection: "thing", id: "cafe\u{301}").map(\.id.seq), [2])
    }
}
