import Foundation
import QunCore
import QunStore
import XCTest

final class StoreLifecycleTests: StoreTestCase {
    // MARK: create / open

    func testCreateThenOpenKeepsIdentity() throws {
        let base = try makeTemporaryDirectory()
        let directory = base.appendingPathComponent("laptop")
        let team = Store.Team.random()
        let created = try Store.create(at: directory, operatorName: "  林晓  ", team: team)
        XCTAssertEqual(created.identity.operatorName, "林晓", "the operator name is trimmed")
        XCTAssertEqual(created.identity.team, team)
        XCTAssertTrue(created.notices.isEmpty)
        let identity = created.identity

        let opened = try Store.open(at: directory)
        XCTAssertEqual(opened.identity, identity)
        XCTAssertTrue(opened.notices.isEmpty, "a store opened where it was made is not a copy: \(opened.notices)")
        XCTAssertEqual(try opened.operatorNames()[identity.replica], "林晓")

        let status = try opened.status()
        XCTAssertEqual(status.replica, identity.replica)
        XCTAssertEqual(status.operatorName, "林晓")
        XCTAssertEqual(status.team, team.id)
        XCTAssertEqual(status.members, 0)
        XCTAssertGreaterThanOrEqual(status.schemaVersion, 1)
    }

    func testCreateWithoutTeamStartsANewTeam() throws {
        let a = try makeStore(name: "a")
        let b = try makeStore(name: "b")
        XCTAssertNotNil(a.identity.team)
        XCTAssertNotEqual(a.identity.team?.id, b.identity.team?.id)
        XCTAssertEqual(a.identity.team?.secret.count, 32)
        XCTAssertNotEqual(a.identity.replica, b.identity.replica)
    }

    func testCreateRejectsAnEmptyOperatorName() throws {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store")
        XCTAssertThrowsStoreError(.missingValue(field: "operator name")) {
            try Store.create(at: directory, operatorName: " \n ")
        }
        XCTAssertThrowsStoreError(.notAStore(path: directory.path), "a refused create leaves no store") {
            try Store.open(at: directory)
        }
    }

    func testOpenOfAMissingDirectoryIsNotAStore() throws {
        let directory = try makeTemporaryDirectory().appendingPathComponent("nothing-here")
        XCTAssertThrowsStoreError(.notAStore(path: directory.path)) { try Store.open(at: directory) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path), "open must not create anything")
    }

    func testOpenOfAnEmptyDirectoryIsNotAStore() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertThrowsStoreError(.notAStore(path: directory.path)) { try Store.open(at: directory) }
    }

    func testCreateTwiceIsRefused() throws {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store")
        let first = try Store.create(at: directory, operatorName: "林晓")
        try first.add("张三")
        XCTAssertThrowsStoreError(.alreadyExists(path: directory.path)) {
            try Store.create(at: directory, operatorName: "someone else")
        }
        let reopened = try Store.open(at: directory)
        XCTAssertEqual(reopened.identity, first.identity, "the refused create must not touch the existing store")
        XCTAssertEqual(try reopened.members().map(\.name), ["张三"])
    }

    func testDataSurvivesReopening() throws {
        let store = try makeStore()
        try store.add("张三") { $0.city = "杭州"; $0.tags = ["读书会"] }
        try store.logInteraction("张三", "第一次沟通")
        let before = try store.fingerprint()
        let directory = store.directory
        try store.database.close()

        let reopened = try Store.open(at: directory)
        XCTAssertEqual(try reopened.fingerprint(), before)
        XCTAssertTrue(reopened.notices.isEmpty)
    }

    // MARK: copy detection

    /// Closes `store` and copies its whole directory next to it.
    private func closeAndCopy(_ store: Store, to name: String) throws -> URL {
        try store.database.close()
        let copy = store.directory.deletingLastPathComponent().appendingPathComponent(name)
        try FileManager.default.copyItem(at: store.directory, to: copy)
        return copy
    }

    func testCopiedStoreTakesANewReplicaIDAndLosesNothing() throws {
        let original = try makeStore(name: "林晓")
        let originalID = original.identity.replica
        let zhang = try original.add("张三") { $0.city = "杭州"; $0.tags = ["读书会"] }
        let li = try original.add("李四") { $0.role = .kol }
        try original.logInteraction(zhang.id, "聊了活动")
        let membersBefore = try original.members()
        let originalDirectory = original.directory

        let copyDirectory = try closeAndCopy(original, to: "copy")
        let copy = try Store.open(at: copyDirectory)
        XCTAssertNotEqual(copy.identity.replica, originalID, "a copied store must not keep the original's replica id")
        XCTAssertEqual(copy.identity.operatorName, "林晓")
        XCTAssertEqual(copy.identity.team, original.identity.team)
        XCTAssertEqual(copy.notices.count, 1, "the operator is told: \(copy.notices)")
        XCTAssertTrue(copy.notices.first?.contains(String(copy.identity.replica.hex.prefix(8))) ?? false)
        XCTAssertEqual(try copy.members(), membersBefore, "the copy keeps all members")
        XCTAssertEqual(try copy.interactions(zhang.id).map(\.text), ["聊了活动"])

        // The original, reopened where it was made, keeps its id.
        let reopened = try Store.open(at: originalDirectory)
        XCTAssertEqual(reopened.identity.replica, originalID)
        XCTAssertTrue(reopened.notices.isEmpty, "\(reopened.notices)")

        // The copy, reopened, keeps its new id and says nothing more.
        let copyAgain = try Store.open(at: copyDirectory)
        XCTAssertEqual(copyAgain.identity.replica, copy.identity.replica)
        XCTAssertTrue(copyAgain.notices.isEmpty, "\(copyAgain.notices)")

        // Both write, including to the same member, then exchange.
        let fromOriginal = try reopened.add("王五")
        let fromCopy = try copy.add("赵六")
        XCTAssertEqual(fromCopy.number, "\(copy.identity.replica.numberPrefix)-1", "the copy numbers under its own prefix")
        XCTAssertNotEqual(fromOriginal.number, fromCopy.number)
        try reopened.edit(zhang.id, [.city: "上海"])
        try copy.edit(zhang.id, [.notes: "喜欢科幻"], tag: ["志愿者"])
        try copy.logInteraction(li.id, "邀请做分享")
        try reopened.logInteraction(li.id, "确认时间")
        let ownChanges = try reopened.changes().count
        let copyChanges = try copy.changes().count
        let shared = try copy.changes().filter { $0.id.replica == originalID }.count

        try exchange(reopened, copy)
        XCTAssertEqual(try reopened.exportText(), try copy.exportText())
        XCTAssertEqual(try reopened.versionVector(), try copy.versionVector())
        XCTAssertEqual(try reopened.changes().count, ownChanges + copyChanges - shared, "no change is lost or duplicated")
        XCTAssertEqual(try reopened.changes().map(\.id), try copy.changes().map(\.id))

        let merged = try copy.member(zhang.id)
        XCTAssertEqual(merged.city, "上海")
        XCTAssertEqual(merged.notes, "喜欢科幻")
        XCTAssertEqual(merged.tags, ["志愿者", "读书会"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        XCTAssertEqual(Set(try copy.interactions(li.id).map(\.text)), ["邀请做分享", "确认时间"])
        XCTAssertEqual(Set(try reopened.members().map(\.name)), ["张三", "李四", "王五", "赵六"])
        let numbers = try reopened.members().compactMap(\.number)
        XCTAssertEqual(Set(numbers).count, numbers.count, "member numbers stay unique: \(numbers)")
    }

    func testCopyOfAnOpenStoreIsDetected() throws {
        // Copying the directory of a store that is in use copies store.sqlite, -wal and -shm.
        let original = try makeStore(name: "林晓")
        let zhang = try original.add("张三")
        let copyDirectory = original.directory.deletingLastPathComponent().appendingPathComponent("live-copy")
        try FileManager.default.copyItem(at: original.directory, to: copyDirectory)

        let copy = try Store.open(at: copyDirectory)
        XCTAssertNotEqual(copy.identity.replica, original.identity.replica)
        XCTAssertEqual(copy.notices.count, 1)
        XCTAssertEqual(try copy.member(zhang.id).name, "张三")

        try original.edit(zhang.id, [.city: "北京"])
        try copy.edit(zhang.id, [.status: "quiet"])
        try exchange(original, copy)
        XCTAssertEqual(try original.exportText(), try copy.exportText())
        XCTAssertEqual(try original.member(zhang.id).city, "北京")
        XCTAssertEqual(try original.member(zhang.id).status, .quiet)
    }

    func testMovedStoreAlsoTakesANewID() throws {
        let store = try makeStore()
        let id = store.identity.replica
        try store.add("张三")
        try store.database.close()
        let moved = store.directory.deletingLastPathComponent().appendingPathComponent("moved")
        try FileManager.default.moveItem(at: store.directory, to: moved)
        let reopened = try Store.open(at: moved)
        XCTAssertNotEqual(reopened.identity.replica, id)
        XCTAssertEqual(reopened.notices.count, 1)
        XCTAssertEqual(try reopened.members().map(\.name), ["张三"])
        // The old id's changes are kept under the old id.
        XCTAssertGreaterThan(try reopened.versionVector()[id], 0)
    }

    func testConcurrentOpensOfACopyAgreeOnOneNewID() throws {
        // Two processes (say `qun serve` and a CLI command) opening a fresh copy at once must
        // both end up writing as the one new replica id, never the original's.
        let original = try makeStore()
        try original.add("张三")
        let originalID = original.identity.replica
        try original.database.close()
        for round in 0..<8 {
            let copyDirectory = original.directory.deletingLastPathComponent().appendingPathComponent("copy\(round)")
            try FileManager.default.copyItem(at: original.directory, to: copyDirectory)
            let ids = Locked<[ReplicaID]>([])
            let errors = Locked<[String]>([])
            let notices = Locked(0)
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    let store = try Store.open(at: copyDirectory)
                    ids.update { $0.append(store.identity.replica) }
                    notices.update { $0 += store.notices.count }
                } catch {
                    errors.update { $0.append("\(error)") }
                }
            }
            XCTAssertEqual(errors.current, [], "round \(round)")
            XCTAssertEqual(Set(ids.current).count, 1, "round \(round): every opener writes as the same new replica: \(ids.current)")
            XCTAssertFalse(ids.current.contains(originalID), "round \(round): an opener kept the original id")
            XCTAssertEqual(notices.current, 1, "round \(round): exactly one opener claimed the copy")
            let final = try Store.open(at: copyDirectory)
            XCTAssertEqual(final.identity.replica, ids.current.first, "round \(round)")
        }
    }
}

extension StoreLifecycleTests {
    func testTheSameStoreReachedByAnotherSpellingOfItsPathIsNotACopy() throws {
        let base = try makeTemporaryDirectory()
        let created = try Store.create(at: base.appendingPathComponent("sub/../store/"), operatorName: "林晓")
        let id = created.identity.replica
        for spelling in ["store", "store/", "./store", "sub/../store"] {
            let opened = try Store.open(at: base.appendingPathComponent(spelling))
            XCTAssertEqual(opened.identity.replica, id, spelling)
            XCTAssertTrue(opened.notices.isEmpty, "\(spelling): \(opened.notices)")
        }
        let link = base.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: base.appendingPathComponent("store"))
        let viaLink = try Store.open(at: link)
        XCTAssertEqual(viaLink.identity.replica, id, "a symlink to the store is the store")
        XCTAssertTrue(viaLink.notices.isEmpty)
    }
}
