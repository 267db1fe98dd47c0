import XCTest
import QunCore

/// One test per merge rule, each with a concrete expected outcome. Every scenario first goes
/// through `assertConverges`, so the expected outcome is known to hold for every delivery
/// order and with duplicates, not just the order written here.
final class MergeRuleTests: XCTestCase {
    private let members = "members"

    // MARK: Last-writer-wins registers

    func testLastWriterWinsHigherHLCWins() {
        let changes = [
            makeChange(Replicas.b, 1, at: hlc(1_000), members, "r1", "name", .set(.text("Bob, early"))),
            makeChange(Replicas.a, 1, at: hlc(2_000), members, "r1", "name", .set(.text("Alice, later"))),
        ]
        // The lower replica id wins because its hlc is higher: hlc comes first in the order.
        let merged = assertConverges(changes: changes)
        assertExport(merged, #"{"members":[{"id":"r1","name":"Alice, later"}]}"#)

        // The logical counter counts as part of the hlc.
        let counterChanges = [
            makeChange(Replicas.b, 1, at: hlc(5_000, 0), members, "r1", "name", .set(.text("counter 0"))),
            makeChange(Replicas.a, 1, at: hlc(5_000, 1), members, "r1", "name", .set(.text("counter 1"))),
        ]
        assertExport(assertConverges(changes: counterChanges), #"{"members":[{"id":"r1","name":"counter 1"}]}"#)
    }

    func testLastWriterWinsEqualHLCHigherReplicaWins() {
        let stamp = hlc(1_700_000_000_000, 3)
        let changes = [
            makeChange(Replicas.c, 1, at: stamp, members, "r1", "city", .set(.text("杭州"))),
            makeChange(Replicas.a, 1, at: stamp, members, "r1", "city", .set(.text("上海"))),
            makeChange(Replicas.b, 1, at: stamp, members, "r1", "city", .set(.text("北京"))),
        ]
        let merged = assertConverges(changes: changes)
        assertExport(merged, #"{"members":[{"city":"杭州","id":"r1"}]}"#)
        XCTAssertEqual(merged.record(members, "r1")?.registers["city"]?.stamp.replica, Replicas.c)
    }

    func testSettingNullClearsTheField() {
        var a = SimulatedReplica(Replicas.a)
        a.set(members, "r1", "name", .text("张三"))
        a.set(members, "r1", "city", .text("杭州"))
        a.set(members, "r1", "city", .null)
        let merged = assertConverges(changes: a.held)
        assertExport(merged, #"{"members":[{"id":"r1","name":"张三"}]}"#)
    }

    func testConcurrentEditsToDifferentFieldsBothSurvive() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        a.set(members, "r1", "name", .text("张三"))
        a.set(members, "r1", "city", .text("杭州"))
        b.receive(from: a)
        // Concurrent: neither sees the other's edit.
        a.set(members, "r1", "name", .text("李四"))
        b.set(members, "r1", "city", .text("上海"))

        let merged = assertConverges(changes: a.held + b.held.filter { $0.id.replica == Replicas.b })
        assertExport(merged, #"{"members":[{"city":"上海","id":"r1","name":"李四"}]}"#)
    }

    // MARK: Add-wins observed-remove sets

    func testConcurrentAddAndRemoveOfSameElementLeavesItPresent() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        let firstAdd = a.add(members, "r1", "tags", "vip")
        b.receive(from: a)
        let remove = b.remove(members, "r1", "tags", "vip")
        XCTAssertEqual(remove.operation, .remove("vip", observed: [firstAdd.id]))
        // Concurrently with the remove, A adds the same element again.
        let secondAdd = a.add(members, "r1", "tags", "vip")

        let merged = assertConverges(changes: [firstAdd, remove, secondAdd])
        assertExport(merged, #"{"members":[{"id":"r1","tags":["vip"]}]}"#)
        XCTAssertEqual(merged.record(members, "r1")?.liveTags(field: "tags", element: "vip"), [secondAdd.id])

        // A remove that observed nothing (its replica never saw the add) removes nothing.
        let blindRemove = makeChange(Replicas.c, 1, at: hlc(9_999_999_999_999), members, "r1", "tags",
                                     .remove("vip", observed: []))
        assertExport(assertConverges(changes: [firstAdd, blindRemove]), #"{"members":[{"id":"r1","tags":["vip"]}]}"#)
    }

    func testRemoveOfObservedAddMakesElementAbsent() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        a.set(members, "r1", "name", .text("张三"))
        a.add(members, "r1", "tags", "vip")
        a.add(members, "r1", "tags", "新人")
        b.receive(from: a)
        b.remove(members, "r1", "tags", "vip")

        let merged = assertConverges(changes: b.held)
        assertExport(merged, #"{"members":[{"id":"r1","name":"张三","tags":["新人"]}]}"#)
        XCTAssertEqual(merged.record(members, "r1")?.elements("tags"), ["新人"])

        // Removing the last element drops the field from the export.
        b.remove(members, "r1", "tags", "新人")
        assertExport(assertConverges(changes: b.held), #"{"members":[{"id":"r1","name":"张三"}]}"#)
    }

    func testRemoveArrivingBeforeItsAddStaysAbsent() {
        let add = makeChange(Replicas.a, 1, at: hlc(1_000), members, "r1", "tags", .add("vip"))
        let name = makeChange(Replicas.a, 2, at: hlc(1_001), members, "r1", "name", .set(.text("Ann")))
        let remove = makeChange(Replicas.b, 1, at: hlc(2_000), members, "r1", "tags",
                                .remove("vip", observed: [add.id]))

        var doc = Document()
        doc.apply(remove)
        doc.apply(name)
        assertExport(doc, #"{"members":[{"id":"r1","name":"Ann"}]}"#)
        doc.apply(add)  // the add arrives last: it was already removed
        assertExport(doc, #"{"members":[{"id":"r1","name":"Ann"}]}"#)
        XCTAssertEqual(doc.record(members, "r1")?.liveTags(field: "tags", element: "vip"), [])
        XCTAssertEqual(doc.record(members, "r1")?.elements("tags"), [])

        assertConverges(changes: [add, name, remove])
    }

    func testReAddAfterRemoveMakesElementPresent() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        a.add(members, "r1", "tags", "vip")
        b.receive(from: a)
        b.remove(members, "r1", "tags", "vip")
        a.receive(from: b)
        XCTAssertEqual(a.document.record(members, "r1")?.elements("tags"), [])
        let readd = a.add(members, "r1", "tags", "vip")

        let merged = assertConverges(changes: a.held)
        assertExport(merged, #"{"members":[{"id":"r1","tags":["vip"]}]}"#)
        XCTAssertEqual(merged.record(members, "r1")?.liveTags(field: "tags", element: "vip"), [readd.id])
    }

    func testSetElementsAreSortedByUTF8Bytes() {
        var a = SimulatedReplica(Replicas.a)
        for tag in ["新人", "vip", "VIP", "core", "🌙"] { a.add(members, "r1", "tags", tag) }
        assertExport(assertConverges(changes: a.held), #"{"members":[{"id":"r1","tags":["VIP","core","vip","新人","🌙"]}]}"#)
    }

    func testSetElementsAreDistinctByBytesNotByCanonicalEquivalence() {
        // Swift's String == says "caf\u{E9}" == "cafe\u{301}" and "K" == "\u{212A}" (Kelvin
        // sign); the store compares bytes, and so must the merge, whatever the arrival order.
        let elements = ["caf\u{E9}", "cafe\u{301}", "K", "\u{212A}"]
        let changes = elements.enumerated().map { index, element in
            makeChange([Replicas.a, Replicas.b, Replicas.c, Replicas.d][index], 1, at: hlc(1_000),
                       members, "r1", "tags", .add(element))
        }
        let merged = assertConverges(changes: changes)
        assertExport(merged, "{\"members\":[{\"id\":\"r1\",\"tags\":[\"K\",\"cafe\u{301}\",\"caf\u{E9}\",\"\u{212A}\"]}]}")
        XCTAssertEqual(merged.record(members, "r1")?.elements("tags").map { Array($0.utf8) },
                       ["K", "cafe\u{301}", "caf\u{E9}", "\u{212A}"].map { Array($0.utf8) })
        // A remove names only the tags of the exact bytes it was given.
        XCTAssertEqual(merged.record(members, "r1")?.liveTags(field: "tags", element: "caf\u{E9}"), [changes[0].id])
        XCTAssertEqual(merged.record(members, "r1")?.liveTags(field: "tags", element: "\u{212A}"), [changes[3].id])
    }

    // MARK: Append-only log

    func testLogAppendsWithIdenticalTextFromTwoReplicasAreBothKeptInOrder() {
        let text = "电话回访：暂无回应"
        let changes = [
            makeChange(Replicas.c, 1, at: hlc(1_000, 1), members, "r1", "log", .append(text)),
            makeChange(Replicas.a, 1, at: hlc(1_000, 1), members, "r1", "log", .append(text)),
            makeChange(Replicas.b, 1, at: hlc(1_000, 0), members, "r1", "log", .append(text)),
            makeChange(Replicas.b, 2, at: hlc(900, 0), members, "r1", "log", .append("first")),
        ]
        let merged = assertConverges(changes: changes)
        let a = Replicas.a.hex, b = Replicas.b.hex, c = Replicas.c.hex
        assertExport(merged, """
            {"members":[{"id":"r1","log":[\
            {"at":900,"by":"\(b)","text":"first"},\
            {"at":1000,"by":"\(b)","text":"\(text)"},\
            {"at":1000,"by":"\(a)","text":"\(text)"},\
            {"at":1000,"by":"\(c)","text":"\(text)"}\
            ]}]}
            """)
        // Same hlc and replica (not produced by a real clock, but decodable): seq breaks the tie.
        let d = Replicas.d
        let tied = [
            makeChange(d, 2, at: hlc(50), members, "r1", "log", .append("second")),
            makeChange(d, 1, at: hlc(50), members, "r1", "log", .append("first")),
        ]
        XCTAssertEqual(assertConverges(changes: tied).record(members, "r1")?.logEntries("log").map(\.text),
                       ["first", "second"])
    }

    // MARK: Delete and restore

    func testDeleteWinsOverConcurrentEditAndRestoreAfterSeeingItBringsTheEditBack() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        var c = SimulatedReplica(Replicas.c)
        a.set(members, "r1", "name", .text("张三"))
        b.receive(from: a)
        let delete = a.delete(members, "r1")
        let edit = b.set(members, "r1", "city", .text("杭州"))  // concurrent with the delete

        let afterDelete = assertConverges(changes: a.held + [edit])
        assertExport(afterDelete, "{}")
        XCTAssertEqual(afterDelete.record(members, "r1")?.isDeleted, true)
        XCTAssertEqual(afterDelete.record(members, "r1")?.liveDeleteTokens, [delete.id])

        c.receive(from: a)
        c.receive(from: b)
        let restore = c.restore(members, "r1")
        XCTAssertEqual(restore.operation, .restore(observed: [delete.id]))
        let afterRestore = assertConverges(changes: c.held)
        assertExport(afterRestore, #"{"members":[{"city":"杭州","id":"r1","name":"张三"}]}"#)
    }

    func testConcurrentDeleteAndRestoreLeavesRecordDeleted() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        var c = SimulatedReplica(Replicas.c)
        a.set(members, "r1", "name", .text("张三"))
        c.receive(from: a)          // C sees the record live
        a.delete(members, "r1")
        b.receive(from: a)          // B sees the delete ...
        b.restore(members, "r1")    // ... and restores it,
        let concurrentDelete = c.delete(members, "r1")  // while C, not knowing, deletes it.

        let merged = assertConverges(changes: b.held + [concurrentDelete])
        assertExport(merged, "{}")
        XCTAssertEqual(merged.record(members, "r1")?.liveDeleteTokens, [concurrentDelete.id])
    }

    func testTwoDeletesAndARestoreThatSawOnlyOneLeavesRecordDeleted() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        var c = SimulatedReplica(Replicas.c)
        var d = SimulatedReplica(Replicas.d)
        a.set(members, "r1", "name", .text("张三"))
        c.receive(from: a)
        let deleteA = a.delete(members, "r1")
        let deleteC = c.delete(members, "r1")
        b.receive(from: a)
        let partialRestore = b.restore(members, "r1")
        XCTAssertEqual(partialRestore.operation, .restore(observed: [deleteA.id]))

        let merged = assertConverges(changes: a.held + [deleteC, partialRestore])
        assertExport(merged, "{}")

        // A restore that saw both deletes brings the record back.
        d.receive(a.held + [deleteC, partialRestore])
        let fullRestore = d.restore(members, "r1")
        XCTAssertEqual(fullRestore.operation, .restore(observed: [deleteC.id]))
        assertExport(assertConverges(changes: d.held), #"{"members":[{"id":"r1","name":"张三"}]}"#)
    }

    func testRestoreDeliveredBeforeItsDeleteStillCancelsIt() {
        let create = makeChange(Replicas.a, 1, at: hlc(1_000), members, "r1", "name", .set(.text("Ann")))
        let delete = makeChange(Replicas.a, 2, at: hlc(1_001), members, "r1", "", .delete)
        let restore = makeChange(Replicas.b, 1, at: hlc(1_002), members, "r1", "", .restore(observed: [delete.id]))
        var doc = Document()
        doc.apply(restore)
        doc.apply(create)
        doc.apply(delete)
        assertExport(doc, #"{"members":[{"id":"r1","name":"Ann"}]}"#)
        assertConverges(changes: [create, delete, restore])
    }

    // MARK: Forward compatibility

    func testUnknownOperationCodesDoNotChangeExport() {
        var a = SimulatedReplica(Replicas.a)
        a.set(members, "r1", "name", .text("张三"))
        a.add(members, "r1", "tags", "vip")
        a.append(members, "r1", "log", "joined")
        let before = a.document.export().compact
        let unknowns = [
            a.make(members, "r1", "name", .unknown(code: 42, payload: [1, 2, 3])),
            a.make(members, "r1", "tags", .unknown(code: 42, payload: Array("vip".utf8))),
            a.make(members, "r1", "", .unknown(code: 200, payload: [])),
        ]
        assertExport(a.document, before)
        // The unknown changes are still held and counted, so they are forwarded by sync.
        XCTAssertEqual(a.document.vector[Replicas.a], 6)
        for change in unknowns { XCTAssertTrue(a.document.seen.contains(change.id)) }

        let merged = assertConverges(changes: a.held)
        assertExport(merged, before)
        XCTAssertEqual(before, """
            {"members":[{"id":"r1","log":[{"at":1700000000000,"by":"\(Replicas.a.hex)","text":"joined"}],\
            "name":"张三","tags":["vip"]}]}
            """)
    }

    func testUnknownFieldsAndCollectionsAreExported() {
        var a = SimulatedReplica(Replicas.a)
        a.set("polls", "p1", "question", .text("周六去哪吃？"))
        a.set("polls", "p1", "closes", .int(1_700_086_400_000))
        a.set(members, "r1", "name", .text("张三"))
        a.set(members, "r1", "x-future-score", .real(2.5))
        a.add(members, "r1", "x-badges", "gold")
        a.append(members, "r1", "x-notes", "from a newer qun")

        let merged = assertConverges(changes: a.held)
        assertExport(merged, """
            {"members":[{"id":"r1","name":"张三","x-badges":["gold"],"x-future-score":2.5,\
            "x-notes":[{"at":1700000000000,"by":"\(Replicas.a.hex)","text":"from a newer qun"}]}],\
            "polls":[{"closes":1700086400000,"id":"p1","question":"周六去哪吃？"}]}
            """)
    }

    // MARK: Idempotence

    func testApplyingEveryChangeTwiceChangesNothing() {
        var a = SimulatedReplica(Replicas.a)
        var b = SimulatedReplica(Replicas.b)
        a.set(members, "r1", "name", .text("张三"))
        a.add(members, "r1", "tags", "vip")
        a.append(members, "r1", "log", "joined")
        b.receive(from: a)
        b.remove(members, "r1", "tags", "vip")
        b.set(members, "r2", "name", .text("李四"))
        b.delete(members, "r2")
        b.restore(members, "r2")
        b.delete(members, "r1")

        var doc = document(b.held)
        let export = doc.export().compact
        let vector = doc.vector
        for change in b.held + b.held.reversed() {
            XCTAssertFalse(doc.apply(change), "\(change.id) applied twice")
        }
        assertExport(doc, export)
        XCTAssertEqual(doc.vector, vector)
        XCTAssertEqual(export, #"{"members":[{"id":"r2","name":"李四"}]}"#)

        // The bare merge function is idempotent too.
        var once = RecordState(collection: members)
        var twice = RecordState(collection: members)
        for change in b.held where change.record == "r1" {
            once.apply(change)
            twice.apply(change)
            twice.apply(change)
        }
        XCTAssertEqual(once, twice)
        assertConverges(changes: b.held)
    }

    // MARK: Document bookkeeping

    func testVersionVectorIsContiguousWhateverTheArrivalOrder() {
        let changes = (1...5).map { seq in
            makeChange(Replicas.a, Int64(seq), at: hlc(Int64(seq)), members, "r1", "n\(seq)", .set(.int(Int64(seq))))
        }
        var doc = Document()
        doc.apply(changes[1])  // seq 2
        doc.apply(changes[3])  // seq 4
        XCTAssertEqual(doc.vector[Replicas.a], 0)
        doc.apply(changes[0])  // seq 1: 1, 2 contiguous
        XCTAssertEqual(doc.vector[Replicas.a], 2)
        doc.apply(changes[2])  // seq 3: 1...4 contiguous
        XCTAssertEqual(doc.vector[Replicas.a], 4)
        doc.apply(changes[4])
        XCTAssertEqual(doc.vector, VersionVector([Replicas.a: 5]))
    }

    func testExportSortsCollectionsAndRecordsByUTF8Bytes() {
        var a = SimulatedReplica(Replicas.a)
        for (collection, id) in [("tasks", "b"), ("members", "é"), ("members", "Z"), ("members", "a"), ("Events", "x")] {
            a.set(collection, id, "n", .int(1))
        }
        assertExport(assertConverges(changes: a.held), """
            {"Events":[{"id":"x","n":1}],\
            "members":[{"id":"Z","n":1},{"id":"a","n":1},{"id":"é","n":1}],\
            "tasks":[{"id":"b","n":1}]}
            """)
    }
}
