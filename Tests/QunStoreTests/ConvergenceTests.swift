import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest
import QunTestSupport

final class ConvergenceTests: StoreTestCase {
    /// Two stores of one team with hand-driven clocks, and a member both hold.
    private func pair(_ configure: (inout MemberDraft) -> Void = { _ in })
        throws -> (a: Store, b: Store, clockA: TestClock, clockB: TestClock, member: Member) {
        let clockA = TestClock()
        let clockB = TestClock()
        let stores = try makeTeam(["林晓", "王芳"], clocks: [clockA, clockB])
        let member = try stores[0].add("张三", configure: configure)
        try exchange(stores[0], stores[1])
        clockA.advance(by: 1000)
        clockB.advance(by: 1000)
        return (stores[0], stores[1], clockA, clockB, member)
    }

    private func assertConverged(_ stores: [Store], file: StaticString = #filePath, line: UInt = #line) throws {
        let first = try stores[0].exportText()
        let vector = try stores[0].versionVector()
        for store in stores.dropFirst() {
            XCTAssertEqual(try store.exportText(), first, "exports differ", file: file, line: line)
            XCTAssertEqual(try store.versionVector(), vector, "version vectors differ", file: file, line: line)
        }
    }

    // MARK: registers

    func testEditsToDifferentFieldsOfOneMemberBothSurvive() throws {
        let (a, b, _, _, member) = try pair { $0.city = "杭州" }
        try a.edit(member.id, [.city: "上海", .role: "core"])
        try b.edit(member.id, [.notes: "喜欢科幻", .status: "quiet"])
        try exchange(a, b)
        try assertConverged([a, b])
        let merged = try a.member(member.id)
        XCTAssertEqual(merged.city, "上海")
        XCTAssertEqual(merged.role, .core)
        XCTAssertEqual(merged.notes, "喜欢科幻")
        XCTAssertEqual(merged.status, .quiet)
        XCTAssertEqual(try b.member(member.id), merged)
    }

    func testSameFieldTheLaterEditWinsOnBoth() throws {
        let (a, b, clockA, clockB, member) = try pair()
        try b.edit(member.id, [.city: "北京"])  // earlier
        clockA.advance(by: 5000)
        try a.edit(member.id, [.city: "上海"])  // later, though made by the other store
        // Apply in both directions, in either order: the later edit wins everywhere.
        try push(b, a)
        try push(a, b)
        try assertConverged([a, b])
        XCTAssertEqual(try a.member(member.id).city, "上海")

        // The loser, having seen the winner, edits again: its clock is now ahead.
        clockB.advance(by: 1)
        try b.edit(member.id, [.city: "广州"])
        try exchange(b, a)
        XCTAssertEqual(try a.member(member.id).city, "广州")
        try assertConverged([a, b])
    }

    func testSameFieldWithEqualTimestampsTheHigherReplicaWins() throws {
        let (a, b, clockA, clockB, member) = try pair()
        let later = TestClock.start + 60_000
        clockA.set(later)
        clockB.set(later)
        try a.edit(member.id, [.city: "上海"])
        try b.edit(member.id, [.city: "北京"])
        let stampA = try a.history(collection: .memberCollection, id: member.id).last!.hlc
        let stampB = try b.history(collection: .memberCollection, id: member.id).last!.hlc
        XCTAssertEqual(stampA, stampB, "the test needs a tie on hlc")
        try exchange(a, b)
        try assertConverged([a, b])
        let winner = a.identity.replica > b.identity.replica ? "上海" : "北京"
        XCTAssertEqual(try a.member(member.id).city, winner)
    }

    // MARK: sets

    func testConcurrentAddAndRemoveOfOneTagLeavesItPresent() throws {
        let (a, b, _, _, member) = try pair { $0.tags = ["读书会", "付费"] }
        try a.edit(member.id, tag: ["读书会", "新人"])   // a fresh add of an element already there
        try b.edit(member.id, untag: ["读书会", "付费"])  // removes only the adds it has seen
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertEqual(Set(try a.member(member.id).tags), ["读书会", "新人"], "add wins over a concurrent remove")

        // A remove made after seeing every add removes it.
        try b.edit(member.id, untag: ["读书会"])
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertEqual(try a.member(member.id).tags, ["新人"])
    }

    func testConcurrentRemovesAndReAdd() throws {
        let (a, b, _, _, member) = try pair { $0.tags = ["x"] }
        try a.edit(member.id, untag: ["x"])
        try b.edit(member.id, untag: ["x"])
        try exchange(a, b)
        XCTAssertEqual(try a.member(member.id).tags, [])
        try b.edit(member.id, tag: ["x"])
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertEqual(try a.member(member.id).tags, ["x"])
    }

    // MARK: delete / restore

    func testDeleteWinsOverAConcurrentEditAndRestoreBringsTheEditBack() throws {
        let (a, b, _, _, member) = try pair { $0.city = "杭州" }
        try a.removeMember(member.id)
        try b.edit(member.id, [.city: "上海"], tag: ["志愿者"])
        try b.logInteraction(member.id, "删除前的沟通")
        try exchange(a, b)
        try assertConverged([a, b])
        for store in [a, b] {
            XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.member(member.id) }
            XCTAssertEqual(try store.exportSection(.memberCollection), "[]")
        }

        // B has now seen the delete; its restore brings the member back with B's edit.
        try b.restoreMember(member.id)
        try exchange(a, b)
        try assertConverged([a, b])
        let restored = try a.member(member.id)
        XCTAssertEqual(restored.city, "上海")
        XCTAssertEqual(restored.tags, ["志愿者"])
        XCTAssertEqual(try a.interactions(member.id).map(\.text), ["删除前的沟通"])
        XCTAssertFalse(restored.deleted)
    }

    func testDeleteWinsOverAConcurrentRestore() throws {
        let (a, b, _, _, member) = try pair()
        try a.removeMember(member.id)
        try exchange(a, b)
        // A restores and deletes again; B concurrently restores the first delete only.
        try a.restoreMember(member.id)
        try a.removeMember(member.id)
        try b.restoreMember(member.id)
        XCTAssertFalse(try b.member(member.id).deleted)
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try b.member(member.id) }
        // Either side can now restore it for good.
        try b.restoreMember(member.id)
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertEqual(try a.member(member.id).name, "张三")
    }

    func testConcurrentRestoresOfOneDelete() throws {
        let (a, b, _, _, member) = try pair()
        try a.removeMember(member.id)
        try exchange(a, b)
        try a.restoreMember(member.id)
        try b.restoreMember(member.id)
        try exchange(a, b)
        try assertConverged([a, b])
        XCTAssertFalse(try a.member(member.id).deleted)
    }

    // MARK: order and duplicates

    /// Changes from two stores with edits of every kind, ready to be fed to fresh stores.
    private func mixedBatch() throws -> [Change] {
        let (a, b, clockA, clockB, member) = try pair { $0.tags = ["读书会"]; $0.city = "杭州" }
        let other = try b.add("李四") { $0.kol = member.id }
        try a.edit(member.id, [.city: "上海"], tag: ["付费"])
        try b.edit(member.id, [.city: "北京", .notes: "n"], untag: ["读书会"])
        clockA.advance(by: 10)
        try a.logInteraction(member.id, "沟通一")
        try b.logInteraction(member.id, "沟通二")
        try b.removeMember(other.id)
        try exchange(a, b)
        clockB.advance(by: 10)
        try b.restoreMember(other.id)
        try a.removeMember(member.id)
        try a.restoreMember(member.id)
        try b.edit(other.id, [.city: "深圳"])
        try exchange(a, b)
        try assertConverged([a, b])
        return try a.changes()
    }

    func testApplyingABatchTwiceOrReversedGivesTheSameExport() throws {
        let batch = try mixedBatch()
        let expected = section(document(of: batch).export(), .memberCollection)
        XCTAssertNotEqual(expected, "[]")
        let stores = try (0..<5).map { try makeStore(name: "fresh\($0)") }

        let first = try stores[0].apply(batch)
        XCTAssertEqual(first.received, batch.count)
        XCTAssertEqual(first.applied, batch.count)
        XCTAssertEqual(first.duplicates, 0)
        let second = try stores[0].apply(batch)
        XCTAssertEqual(second.applied, 0)
        XCTAssertEqual(second.duplicates, batch.count)

        try stores[1].apply(batch.reversed())
        // One change per transaction, newest first: every record exists before most of its
        // changes arrive, the other apply path.
        for change in batch.reversed() { try stores[2].apply([change]) }
        for change in batch { try stores[3].apply([change, change]) }
        var rng = SplitMix64(seed: 7)
        let shuffled = rng.shuffled(batch + batch.prefix(10))
        for start in stride(from: 0, to: shuffled.count, by: 7) {
            try stores[4].apply(Array(shuffled[start..<min(start + 7, shuffled.count)]))
        }
        for (index, store) in stores.enumerated() {
            XCTAssertEqual(try store.exportSection(.memberCollection), expected, "store \(index)")
            XCTAssertEqual(try store.changes().filter { $0.id.replica != store.identity.replica }.count, batch.count)
        }
        // Once they have also exchanged their own operator records, whole exports are equal.
        try exchangeAll(stores)
        try assertConverged(stores)
    }

    // MARK: version vectors and deltas

    func testChangesSinceAPeerVectorAreExactlyWhatItLacks() throws {
        let (a, b, _, _, member) = try pair()
        try assertConverged([a, b])
        XCTAssertEqual(try a.changes(since: b.versionVector()), [])
        XCTAssertEqual(try b.changes(since: a.versionVector()), [])

        let aBefore = try a.versionVector()[a.identity.replica]
        try a.edit(member.id, [.city: "上海"], tag: ["x", "y"])  // 3 changes and the commit's signature
        try a.add("李四") { $0.tags = ["z"] }                      // number, name, role, status, joined, tag, signature
        let bBefore = try b.versionVector()[b.identity.replica]
        try b.logInteraction(member.id, "hi")                      // 1 change and its signature
        let aMade = try a.versionVector()[a.identity.replica] - aBefore
        XCTAssertEqual(aMade, 11)

        let forB = try a.changes(since: b.versionVector())
        XCTAssertEqual(forB.count, Int(aMade))
        XCTAssertEqual(forB.map(\.id.seq), Array(aBefore + 1...aBefore + aMade))
        XCTAssertTrue(forB.allSatisfy { $0.id.replica == a.identity.replica })
        let forA = try b.changes(since: a.versionVector())
        XCTAssertEqual(forA.map(\.id), [ChangeID(replica: b.identity.replica, seq: bBefore + 1), ChangeID(replica: b.identity.replica, seq: bBefore + 2)])

        // A page is a prefix of the answer.
        XCTAssertEqual(try a.changes(since: b.versionVector(), limit: 4), Array(forB.prefix(4)))
        XCTAssertEqual(try a.changes(since: b.versionVector(), limit: 0), [])

        // Everything since the empty vector is the whole log, in (replica, seq) order.
        let all = try a.changes()
        XCTAssertEqual(all.count, Int(try a.versionVector().count))
        XCTAssertEqual(all.map(\.id), all.map(\.id).sorted())
        XCTAssertEqual(try a.status().changes, all.count)

        let report = try b.apply(forB)
        XCTAssertEqual(report.applied, forB.count)
        try push(b, a)
        try assertConverged([a, b])
    }

    func testChangesRelayThroughAThirdStore() throws {
        let stores = try makeTeam(["a", "b", "c"])
        let (a, b, c) = (stores[0], stores[1], stores[2])
        let member = try a.add("张三")
        try push(a, b)
        try push(b, c)
        XCTAssertEqual(try c.member(member.id).name, "张三")
        XCTAssertEqual(try c.versionVector()[a.identity.replica], try a.versionVector()[a.identity.replica])
        try c.edit(member.id, [.city: "成都"])
        try push(c, b)
        try push(b, a)
        XCTAssertEqual(try a.member(member.id).city, "成都")
        try exchangeAll(stores)
        try assertConverged(stores)
    }

    func testAGapIsAcceptedAndFilledLater() throws {
        let stores = try makeTeam(["a", "b"])
        let (a, b) = (stores[0], stores[1])
        let member = try a.add("张三") { $0.tags = ["x"] }
        try a.edit(member.id, [.city: "上海"], untag: ["x"])
        try a.logInteraction(member.id, "hi")
        let log = try a.changes(since: b.versionVector())
        // Cut between two commits (after a signature): a cut inside a commit's block would
        // wait, unverified, for the rest of the block.
        let signatures = log.indices.filter { if case .signature = log[$0].operation { true } else { false } }
        let cut = signatures[signatures.count / 2 - 1] + 1

        // The second half first: b holds changes beyond a gap.
        let report = try b.apply(Array(log[cut...]))
        XCTAssertEqual(report.applied, log.count - cut)
        XCTAssertEqual(try b.versionVector()[a.identity.replica], 0, "the vector counts only gap-free prefixes")
        XCTAssertEqual(try b.changes(since: VersionVector()).filter { $0.id.replica == a.identity.replica }.count, log.count - cut)
        // b asks again: a resends everything after b's vector, duplicates are harmless.
        XCTAssertEqual(try a.changes(since: b.versionVector()).count, log.count)
        try push(a, b)
        XCTAssertEqual(try b.versionVector()[a.identity.replica], try a.versionVector()[a.identity.replica])
        XCTAssertEqual(try b.exportSection(.memberCollection), try a.exportSection(.memberCollection))
        XCTAssertEqual(try b.member(member.id).tags, [])
    }
}
