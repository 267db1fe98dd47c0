import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// `SyncClient.bootstrap`: a new laptop starts from a peer's snapshot.
final class ClientBootstrapTests: ClientTestCase {
    func testBootstrapGivesANewReplicaWithTheSameDataAndRegistersThePeer() async throws {
        let wang = try makeStore("Wang Lei")
        let other = try makeStore("阿杰", team: wang.team)
        for index in 0..<5 { try wang.add("成员\(index)") { $0.tags = ["早鸟"] } }
        try other.add("会员")
        try wang.apply(try other.changes())
        let url = try await serve(wang)
        let directory = try makeTemporaryDirectory().appendingPathComponent("new", isDirectory: true)

        let report = try await SyncClient.bootstrap(
            invite: TeamInvite(team: wang.team, url: url), at: directory, operatorName: "林晓", http: http)
        let store = report.store
        XCTAssertNotEqual(store.replica, wang.replica)
        XCTAssertNotEqual(store.replica, other.replica)
        XCTAssertEqual(store.identity.operatorName, "林晓")
        XCTAssertEqual(store.team, wang.team)
        XCTAssertEqual(report.peerInfo.operatorName, "Wang Lei")
        XCTAssertGreaterThan(report.snapshotBytes, 0)
        XCTAssertEqual(try store.exportSection(.memberCollection), try wang.exportSection(.memberCollection))
        let own = try store.changes().filter { $0.id.replica == store.replica }
        XCTAssertEqual(try store.changes().count - own.count, try wang.changes().count, "every change of the log")
        XCTAssertTrue(own.contains { $0.collection == .operatorCollection }, "the new operator's announcement")
        XCTAssertTrue(own.contains { if case .roster = $0.operation { true } else { false } }, "its roster entry")

        let peers = try store.peers()
        XCTAssertEqual(peers.map(\.name), ["wang-lei"])
        XCTAssertEqual(peers.first?.url, url)
        XCTAssertEqual(peers.first?.replica, wang.replica)
        XCTAssertNotNil(peers.first?.lastSync)
        XCTAssertEqual(report.peer, peers.first)

        // The store opens again as itself (not as a copy), and syncs with the peer.
        let reopened = try Store.open(at: directory)
        XCTAssertEqual(reopened.replica, store.replica)
        XCTAssertEqual(reopened.notices, [])
        let sync = try await sync(store, with: url, peer: "wang-lei")
        XCTAssertEqual(sync.received, 0, "the snapshot held everything")
        XCTAssertEqual(sync.sent, own.count, "its roster entry and the new operator's name, with their signatures")
        XCTAssertEqual(try store.exportText(), try wang.exportText())

        // No snapshot is left behind on either side.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: wang.directory.path).filter { $0.contains("snapshot") }
        XCTAssertEqual(leftovers, [])
    }

    func testBootstrapWithAnOutdatedInviteCreatesNothing() async throws {
        let wang = try makeStore("王磊")
        let url = try await serve(wang)
        let directory = try makeTemporaryDirectory().appendingPathComponent("new", isDirectory: true)
        let outdated = TeamInvite(team: Store.Team(id: wang.team.id, secret: Store.Team.random().secret), url: url)
        let error = await syncClientError {
            try await SyncClient.bootstrap(invite: outdated, at: directory, operatorName: "林晓", http: http)
        }
        XCTAssertEqual(error, .refused(url: url))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path))
    }

    func testBootstrapIntoAnExistingStoreIsRefusedBeforeDownloading() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        let url = try await serve(wang)
        do {
            _ = try await SyncClient.bootstrap(
                invite: TeamInvite(team: wang.team, url: url), at: lin.directory, operatorName: "林晓", http: http)
            XCTFail("expected alreadyExists")
        } catch let error as StoreError {
            XCTAssertEqual(error, .alreadyExists(path: lin.directory.path))
        }
    }

    func testBootstrapNeedsAnInviteWithAnAddress() async throws {
        let wang = try makeStore("王磊")
        let directory = try makeTemporaryDirectory().appendingPathComponent("new", isDirectory: true)
        let error = await syncClientError {
            try await SyncClient.bootstrap(invite: TeamInvite(team: wang.team), at: directory, operatorName: "林晓", http: http)
        }
        XCTAssertEqual(error, .inviteWithoutURL)
    }

    func testPeerNamesFromOperatorNames() {
        XCTAssertEqual(PeerName.suggested(forOperator: "Wang"), "wang")
        XCTAssertEqual(PeerName.suggested(forOperator: "Wang Lei"), "wang-lei")
        XCTAssertEqual(PeerName.suggested(forOperator: "  Zoë  Müller "), "zoe-muller")
        XCTAssertEqual(PeerName.suggested(forOperator: "王Wang"), "wang")
        XCTAssertEqual(PeerName.suggested(forOperator: "林晓"), "origin")
        XCTAssertEqual(PeerName.suggested(forOperator: "🙂"), "origin")
        XCTAssertEqual(PeerName.suggested(forOperator: "lin_2.0"), "lin_2.0")
        XCTAssertEqual(PeerName.suggested(forOperator: String(repeating: "a", count: 80)).count, 32)
    }
}
