import Foundation
import XCTest

/// A store directory copied to a "second laptop" must not keep writing as the same replica:
/// two replicas with one id silently lose writes.
final class CopyDetectionEndToEndTests: QunTestCase {
    func testCopiedStoreGetsItsOwnReplicaAndBothCopiesConverge() throws {
        let original = initStore("laptop-1", operator: "林")
        let before = addMember("陈一", ["--tag", "种子用户"], store: original)
        let originalReplica = try XCTUnwrap(stringField(status(original), "replica"))

        let copy = path("laptop-2")
        try FileManager.default.copyItem(at: original, to: copy)

        // The copy notices, says so on stderr, and writes under a new replica id.
        let copied = runQun(["status", "--json"], store: copy)
        XCTAssertEqual(copied.status, 0, copied.stderr)
        let copiedStatus = try XCTUnwrap(jsonObject(copied.stdout))
        let copyReplica = try XCTUnwrap(stringField(copiedStatus, "replica"))
        XCTAssertNotEqual(copyReplica, originalReplica, "the copy must not write as the original's replica")
        XCTAssertTrue(copied.stderr.localizedCaseInsensitiveContains("cop"),
                      "stderr should say the store was copied:\n\(copied.stderr)")
        XCTAssertEqual(stringField(copiedStatus, "team"), stringField(status(original), "team"), "the copy stays in the team")
        XCTAssertEqual(exportedMembers(export(copy)).keys.sorted(), [before], "the copy keeps the records")

        // The original is untouched and says nothing; the copy says it only once.
        let again = runQun(["status", "--json"], store: original)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(jsonObject(again.stdout).flatMap { stringField($0, "replica") }, originalReplica)
        XCTAssertFalse(again.stderr.localizedCaseInsensitiveContains("cop"), "the original is not a copy:\n\(again.stderr)")
        let copyAgain = runQun(["status", "--json"], store: copy)
        XCTAssertEqual(jsonObject(copyAgain.stdout).flatMap { stringField($0, "replica") }, copyReplica, "the new id is kept")
        XCTAssertFalse(copyAgain.stderr.localizedCaseInsensitiveContains("cop"), "the notice is shown once:\n\(copyAgain.stderr)")

        // Both laptops add members offline; numbers never collide.
        let onOriginal = jsonObject(qun(["member", "add", "张三", "--json", "--city", "杭州"], store: original))
        let onCopy = jsonObject(qun(["member", "add", "李四", "--json", "--city", "成都"], store: copy))
        let originalID = try XCTUnwrap(stringField(onOriginal, "id"))
        let copyID = try XCTUnwrap(stringField(onCopy, "id"))
        XCTAssertNotEqual(originalID, copyID)
        XCTAssertNotNil(stringField(onOriginal, "number"))
        XCTAssertNotEqual(stringField(onOriginal, "number"), stringField(onCopy, "number"),
                          "two laptops must never hand out the same member number")

        // Exchange bundles: both see both members, byte-identical exports.
        carry(from: original, to: copy, named: "from-original.qunbundle")
        carry(from: copy, to: original, named: "from-copy.qunbundle")
        let exportOriginal = export(original)
        XCTAssertEqual(exportOriginal, export(copy))
        let members = exportedMembers(exportOriginal)
        XCTAssertEqual(Set(members.keys), [before, originalID, copyID])
        XCTAssertEqual(stringField(members[originalID], "name"), "张三")
        XCTAssertEqual(stringField(members[copyID], "name"), "李四")
        XCTAssertEqual(stringField(members[copyID], "city"), "成都")
        let numbers = members.values.compactMap { stringField($0, "number") }
        XCTAssertEqual(Set(numbers).count, 3, "unique member numbers: \(numbers)")

        // Each side's vector has both replicas, with equal entries.
        let vectorOriginal = try XCTUnwrap(status(original)["vector"] as? [String: Any])
        let vectorCopy = try XCTUnwrap(status(copy)["vector"] as? [String: Any])
        XCTAssertEqual(Set(vectorOriginal.keys), Set(vectorCopy.keys))
        XCTAssertTrue(vectorOriginal.keys.contains(copyReplica))
        XCTAssertTrue(vectorOriginal.keys.contains(originalReplica))
        for (replica, seq) in vectorOriginal {
            XCTAssertEqual(intValue(seq), vectorCopy[replica].flatMap(intValue), "vector entry \(replica)")
        }
    }

    /// A copy whose first command is a write also moves to its own replica, and the write
    /// reaches the original under the new id.
    func testCopyDetectedOnFirstWrite() throws {
        let original = initStore("one", operator: "林")
        let originalReplica = try XCTUnwrap(stringField(status(original), "replica"))
        let copy = path("two")
        try FileManager.default.copyItem(at: original, to: copy)

        let added = runQun(["member", "add", "赵六"], store: copy)
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stderr.localizedCaseInsensitiveContains("cop"), "stderr:\n\(added.stderr)")
        let copyReplica = try XCTUnwrap(stringField(status(copy), "replica"))
        XCTAssertNotEqual(copyReplica, originalReplica)

        addMember("孙七", store: original)
        carry(from: copy, to: original, named: "c.qunbundle")
        carry(from: original, to: copy, named: "o.qunbundle")
        XCTAssertEqual(export(original), export(copy))
        let names = Set(exportedMembers(export(original)).values.compactMap { stringField($0, "name") })
        XCTAssertEqual(names, ["赵六", "孙七"])
        let vector = try XCTUnwrap(status(original)["vector"] as? [String: Any])
        XCTAssertGreaterThan(vector[copyReplica].flatMap(intValue) ?? 0, 0, "the copy's write travels under its new id")
    }
}
