import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

final class BundleExchangeTests: SyncTestCase {
    /// Two stores of one team.
    private func pair() throws -> (a: Store, b: Store) {
        let a = try makeStore("林晓")
        let b = try makeStore("阿杰", team: a.identity.team)
        return (a, b)
    }

    /// `from` writes a bundle (of what a holder of `since` lacks); `to` imports it.
    @discardableResult
    private func send(_ from: Store, _ to: Store, since: VersionVector = VersionVector(),
                      acceptSkew: Bool = false) throws -> BundleImportReport {
        let url = try bundleURL()
        try from.exportBundle(to: url, since: since)
        return try to.importBundle(from: url, acceptSkew: acceptSkew)
    }

    func testBundleCarriesAllChangesAndStoresConverge() throws {
        let (a, b) = try pair()
        try a.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟"] }
        try a.add("李四") { $0.role = .kol }
        let kol = try a.add("王五")
        _ = try a.editMember(kol.id, { var edit = MemberEdit(); edit.addTags = ["付费"]; return edit }())
        try a.removeMember("李四")

        let url = try bundleURL()
        let written = try a.exportBundle(to: url)
        XCTAssertEqual(written.changes, try a.changes().count)

        let report = try b.importBundle(from: url)
        XCTAssertEqual(report.from, a.replica.hex)
        XCTAssertEqual(report.operatorName, "林晓")
        XCTAssertEqual(report.path, url.path)
        XCTAssertEqual(report.apply.received, written.changes)
        XCTAssertEqual(report.apply.applied, written.changes)
        XCTAssertEqual(report.apply.duplicates, 0)
        XCTAssertEqual(report.apply.held, 0)
        XCTAssertEqual(try b.exportSection(.memberCollection), try a.exportSection(.memberCollection))
        XCTAssertEqual(try b.versionVector()[a.replica], try a.versionVector()[a.replica])

        // The other way: now both hold everything, and print the same export.
        let back = try send(b, a)
        XCTAssertEqual(Int64(back.apply.applied), try b.versionVector()[b.replica], "only b's own changes are new to a")
        XCTAssertEqual(back.apply.duplicates, written.changes)
        XCTAssertEqual(try a.exportText(), try b.exportText())
        XCTAssertEqual(try a.versionVector(), try b.versionVector())
    }

    func testImportingTwiceAppliesNothingTheSecondTime() throws {
        let (a, b) = try pair()
        try a.add("张三")
        try a.add("李四")
        let url = try bundleURL()
        let written = try a.exportBundle(to: url)

        let first = try b.importBundle(from: url)
        XCTAssertEqual(first.apply.applied, written.changes)
        let state = try b.fingerprint()

        let second = try b.importBundle(from: url)
        XCTAssertEqual(second.apply.received, written.changes)
        XCTAssertEqual(second.apply.applied, 0)
        XCTAssertEqual(second.apply.duplicates, written.changes)
        XCTAssertEqual(try b.fingerprint(), state)

        let own = try a.importBundle(from: url)
        XCTAssertEqual(own.apply.applied, 0, "a store's own bundle is nothing new to it")
        XCTAssertEqual(own.apply.duplicates, written.changes)
    }

    func testExportSinceAVectorHoldsOnlyTheNewChanges() throws {
        let (a, b) = try pair()
        try a.add("张三")
        try send(a, b)
        let before = try a.versionVector()[a.replica]

        try a.add("李四") { $0.tags = ["早鸟"] }
        try a.add("王五")
        let new = try a.versionVector()[a.replica] - before
        XCTAssertGreaterThan(new, 0)

        let since = try b.versionVector()
        let url = try bundleURL()
        let written = try a.exportBundle(to: url, since: since)
        XCTAssertEqual(written.changes, Int(new))
        XCTAssertEqual(written.since, since)
        let (header, changes) = try BundleFile.decode(try bytes(of: url), team: a.team)
        XCTAssertEqual(header.since, since.description)
        XCTAssertEqual(header.count, Int(new))
        XCTAssertEqual(changes, try a.changes(since: since))
        XCTAssertTrue(changes.allSatisfy { $0.id.replica == a.replica && $0.id.seq > before })

        let report = try b.importBundle(from: url)
        XCTAssertEqual(report.apply.applied, Int(new))
        XCTAssertEqual(report.apply.duplicates, 0)
        XCTAssertEqual(try b.exportSection(.memberCollection), try a.exportSection(.memberCollection))

        // Since everything: an empty bundle that still parses.
        let nothing = try a.exportBundle(to: url, since: try a.versionVector())
        XCTAssertEqual(nothing.changes, 0)
        XCTAssertEqual(try b.importBundle(from: url).apply.received, 0)
    }

    func testPeerKnowledgeComesFromReceivedBundles() throws {
        let (a, b) = try pair()
        try a.add("张三")
        try send(a, b)
        XCTAssertEqual(try b.peerKnowledge(a.replica), try a.versionVector(), "b learns what a held")
        XCTAssertNil(try a.peerKnowledge(b.replica), "a has heard nothing from b yet")

        let sentVector = try b.versionVector()
        try send(b, a)
        let knowledge = try XCTUnwrap(try a.peerKnowledge(b.replica))
        XCTAssertEqual(knowledge, sentVector)
        XCTAssertEqual(try a.status().pendingForPeers[b.replica], 0)

        try a.add("李四")
        try a.add("王五") { $0.city = "成都" }
        let delta = try a.changes(since: knowledge)
        XCTAssertFalse(delta.isEmpty)
        XCTAssertEqual(try a.status().pendingForPeers[b.replica], Int64(delta.count))

        let url = try bundleURL()
        let written = try a.exportBundle(to: url, since: knowledge)
        XCTAssertEqual(written.changes, delta.count)
        XCTAssertEqual(try BundleFile.decode(try bytes(of: url), team: a.team).changes, delta)
        let report = try b.importBundle(from: url)
        XCTAssertEqual(report.apply.applied, delta.count)
        XCTAssertEqual(report.apply.duplicates, 0, "the delta holds nothing b already had")
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    func testPeerKnowledgeOnlyGrows() throws {
        let (a, b) = try pair()
        let old = try bundleURL("old.qunb")
        try b.exportBundle(to: old)
        try b.add("张三")
        try send(b, a)
        let knowledge = try a.peerKnowledge(b.replica)
        try a.importBundle(from: old)
        XCTAssertEqual(try a.peerKnowledge(b.replica), knowledge, "an older bundle does not make a forget")
    }

    func testPeerReplicaByNameAndPrefix() throws {
        let (a, b) = try pair()
        XCTAssertThrowsBundleError(.unknownPeer("阿杰"), "a has not heard of b yet") { try a.peerReplica(named: "阿杰") }
        try send(b, a)

        XCTAssertEqual(try a.peerReplica(named: "阿杰"), b.replica)
        XCTAssertEqual(try a.peerReplica(named: String(b.replica.hex.prefix(8))), b.replica)
        XCTAssertEqual(try a.peerReplica(named: String(b.replica.hex.prefix(8)).uppercased()), b.replica)
        XCTAssertEqual(try a.peerReplica(named: b.replica.hex), b.replica)
        XCTAssertThrowsBundleError(.unknownPeer("nobody")) { try a.peerReplica(named: "nobody") }
        XCTAssertThrowsBundleError(.unknownPeer("")) { try a.peerReplica(named: "") }
        XCTAssertThrowsBundleError(.unknownPeer("林晓"), "a store is not its own peer") { try a.peerReplica(named: "林晓") }
        XCTAssertThrowsBundleError(.unknownPeer(String(a.replica.hex.prefix(8)))) {
            try a.peerReplica(named: String(a.replica.hex.prefix(8)))
        }
    }

    func testPeerReplicaWithTwoPeersOfOneNameIsAmbiguous() throws {
        let (a, b) = try pair()
        let c = try makeStore("阿杰", team: a.identity.team)
        try send(b, a)
        try send(c, a)
        XCTAssertThrowsError(try a.peerReplica(named: "阿杰")) { error in
            guard case StoreError.ambiguous = error else { return XCTFail("expected ambiguous, got \(error)") }
        }
        XCTAssertEqual(try a.peerReplica(named: String(c.replica.hex.prefix(12))), c.replica,
                       "a prefix still picks one")
    }

    func testCorruptedBundleChangesNothing() throws {
        let (a, b) = try pair()
        try b.add("本地")
        try a.add("张三")
        try a.add("李四")
        let url = try bundleURL()
        try a.exportBundle(to: url)
        var damaged = try bytes(of: url)
        damaged[damaged.count - 40] ^= 0x20  // inside the change batch
        let bad = try write(damaged)
        let truncated = try write(Array(damaged.prefix(damaged.count / 2)), name: "half.qunb")
        let state = try b.fingerprint()
        let export = try b.exportText()

        let error = bundleError { try b.importBundle(from: bad) }
        XCTAssertEqual(error?.isCorrupted, true, "\(String(describing: error))")
        XCTAssertThrowsBundleError(.truncated) { try b.importBundle(from: truncated) }
        XCTAssertEqual(try b.exportText(), export)
        XCTAssertEqual(try b.fingerprint(), state)
        XCTAssertNil(try b.peerKnowledge(a.replica), "a refused bundle teaches nothing about its sender")

        XCTAssertEqual(try b.importBundle(from: url).apply.applied, try a.changes().count, "the intact bundle still goes in")
    }

    func testBundleOfAnotherTeamChangesNothing() throws {
        let a = try makeStore("林晓")
        let stranger = try makeStore("外人")
        try a.add("张三")
        try stranger.add("本地")
        let url = try bundleURL()
        try a.exportBundle(to: url)
        let state = try stranger.fingerprint()
        XCTAssertThrowsBundleError(.foreignTeam(bundleTeam: a.team.id.hex)) { try stranger.importBundle(from: url) }
        XCTAssertEqual(try stranger.fingerprint(), state)
        XCTAssertNil(try stranger.peerKnowledge(a.replica))
    }

    func testUnreadableFileIsCannotRead() throws {
        let b = try makeStore("阿杰")
        let missing = try bundleURL("missing.qunb")
        let error = bundleError { try b.importBundle(from: missing) }
        guard case .cannotRead(let path, _)? = error else { return XCTFail("expected cannotRead, got \(String(describing: error))") }
        XCTAssertEqual(path, missing.path)
    }

    func testExportIntoAMissingDirectoryIsCannotWrite() throws {
        let a = try makeStore("林晓")
        let url = try makeTemporaryDirectory().appendingPathComponent("no/such/dir/out.qunb")
        let error = bundleError { try a.exportBundle(to: url) }
        guard case .cannotWrite(let path, _)? = error else { return XCTFail("expected cannotWrite, got \(String(describing: error))") }
        XCTAssertEqual(path, url.path)
    }

    func testExportReplacesTheFileAndLeavesNoTemporaryFiles() throws {
        let (a, b) = try pair()
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("to-ajie.qunb")
        try a.add("张三")
        let first = try a.exportBundle(to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["to-ajie.qunb"])

        try a.add("李四")
        let second = try a.exportBundle(to: url)
        XCTAssertGreaterThan(second.changes, first.changes)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["to-ajie.qunb"],
                       "no temporary or backup file is left behind")
        XCTAssertEqual(try bytes(of: url).count, second.bytes)
        XCTAssertEqual(try BundleFile.decode(try bytes(of: url), team: a.team).header.count, second.changes)

        XCTAssertEqual(try b.importBundle(from: url).apply.applied, second.changes)
        XCTAssertEqual(try b.exportSection(.memberCollection), try a.exportSection(.memberCollection))

        // A shorter file replacing a longer one leaves no tail of the old one.
        let third = try a.exportBundle(to: url, since: try a.versionVector())
        XCTAssertEqual(third.changes, 0)
        XCTAssertEqual(try bytes(of: url).count, third.bytes)
        XCTAssertEqual(try BundleFile.decode(try bytes(of: url), team: a.team).changes, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["to-ajie.qunb"])
    }
}
