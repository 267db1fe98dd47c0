import Foundation
import NIOHTTP1
import QunCore
import QunStore
import QunSync
import XCTest

/// The endpoints doing their job: info, paged pulls across replicas, pushes, compression
/// inside the seal both ways, snapshots.
final class ServerSyncTests: ServerTestCase {
    func testInfoDescribesTheStore() async throws {
        let (store, _) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let reply = try await peer.info()
        XCTAssertSigned(reply, 200)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.sealedMediaType)
        let info = try reply.decode(PeerInfo.self)
        XCTAssertEqual(info, PeerInfo(
            replica: store.replica.hex, team: store.team.id.hex, operatorName: "林晓",
            schema: try store.status().schemaVersion, vector: try store.versionVector().description,
            maximumBodyBytes: SyncAPI.maximumBodyBytes,
            digests: try store.historyDigests().reduce(into: [:]) { $0[$1.key.hex] = "\($1.value.seq):\($1.value.digest)" }))
        XCTAssertEqual(info.digests?.count, 3, "a digest for each of the three replicas")
    }

    func testOnePullCarriesEverythingAClientLacks() async throws {
        let store = try makeStore("林晓")
        try store.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟"] }
        try store.add("李四") { $0.role = .kol }
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)

        let reply = try await peer.pull(PullRequest(vector: try client.versionVector().description))
        XCTAssertSigned(reply, 200)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.sealedMediaType)
        XCTAssertNil(reply["Content-Encoding"])
        let (head, changes) = try reply.page()
        XCTAssertEqual(head.more, false)
        XCTAssertEqual(head.vector, try store.versionVector().description)
        XCTAssertEqual(changes, try store.changes())
        let last = try XCTUnwrap(changes.last)
        XCTAssertEqual(head.next, "\(last.id.replica.hex):\(last.id.seq)")

        try client.apply(changes)
        XCTAssertEqual(try client.exportSection(.memberCollection), try store.exportSection(.memberCollection))

        // Caught up: an empty page, no cursor.
        let again = try await peer.pull(PullRequest(vector: try client.versionVector().description))
        XCTAssertSigned(again, 200)
        XCTAssertEqual(try again.page().changes, [])
        XCTAssertEqual(try again.page().head, PullPageHead(vector: try store.versionVector().description, more: false, next: nil))
    }

    func testPagesFollowCursorsAcrossReplicas() async throws {
        let (store, others) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let all = try store.changes()
        XCTAssertEqual(Set(all.map(\.id.replica)).count, 3)

        for limit in [1, 7, all.count - 1, all.count, all.count + 1] {
            var received: [Change] = []
            var after: String?
            var pages = 0
            var sizes: [Int] = []
            while true {
                let reply = try await peer.pull(PullRequest(vector: "", after: after, limit: limit))
                XCTAssertSigned(reply, 200, "limit \(limit)")
                let (head, page) = try reply.page()
                // A page runs past its limit only to finish the commit block it would cut.
                XCTAssertLessThanOrEqual(page.count, limit + CommitBlock.maximumChanges)
                if page.count > limit, let last = page.last {
                    guard case .signature = last.operation else { return XCTFail("limit \(limit): a page past its limit must end a block") }
                }
                XCTAssertEqual(head.vector, try store.versionVector().description)
                received += page
                sizes.append(page.count)
                pages += 1
                if let last = page.last { XCTAssertEqual(head.next, "\(last.id.replica.hex):\(last.id.seq)") }
                if !head.more { break }
                XCTAssertGreaterThanOrEqual(page.count, limit, "a page before the last is full")
                after = try XCTUnwrap(head.next)
                XCTAssertLessThan(pages, all.count + 2, "paging must end")
            }
            XCTAssertEqual(received, all, "limit \(limit): every change once, in order")
            XCTAssertEqual(sizes, expectedPageSizes(of: all, limit: limit), "limit \(limit): pages of the limit, each run on to the end of its block")
        }

        // A client that already holds one replica's changes gets only the others, in pages.
        let client = try makeStore("新人", team: store.team)
        try client.apply(try others[0].changes())
        let vector = try client.versionVector().description
        var after: String?
        repeat {
            let reply = try await peer.pull(PullRequest(vector: vector, after: after, limit: 4))
            XCTAssertSigned(reply, 200)
            let (head, page) = try reply.page()
            XCTAssertFalse(page.contains { $0.id.replica == others[0].replica })
            try client.apply(page)
            after = head.more ? head.next : nil
        } while after != nil
        XCTAssertTrue(try client.versionVector().dominates(try store.versionVector()))
        XCTAssertEqual(try client.exportSection(.memberCollection), try store.exportSection(.memberCollection))
    }

    func testLargePagesAreCompressedInsideTheSeal() async throws {
        let store = try makeStore("林晓")
        for index in 0..<60 { try store.add("成员\(index)") { $0.notes = String(repeating: "周末读书会的备注", count: 20) } }
        let peer = try await serve(store)
        let reply = try await peer.pull(PullRequest(vector: ""))
        XCTAssertSigned(reply, 200)
        XCTAssertNil(reply["Content-Encoding"], "compression is inside the seal, not on the wire")
        XCTAssertEqual(reply.raw[8] & 1, 1, "the envelope says its plaintext is gzip")
        XCTAssertLessThan(reply.raw.count, reply.body.count / 2, "notes this repetitive compress well")
        XCTAssertEqual(try reply.page().changes, try store.changes())
        // Accept-Encoding is not asked for and changes nothing.
        let asked = try await peer.send(.POST, SyncAPI.pullPath, body: Array(#"{"vector":""}"#.utf8),
                                        headers: ["Accept-Encoding": "gzip"], binding: SealContext.pullBinding(after: nil))
        XCTAssertSigned(asked, 200)
        XCTAssertNil(asked["Content-Encoding"])
    }

    func testPushAppliesAPageAndLearnsWhatThePeerHolds() async throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        try client.add("李四") { $0.city = "上海" }
        try client.add("王五") { $0.tags = ["付费"] }
        let pushed = try client.changes()
        let before = try store.changes().count

        let reply = try await peer.push(pushed, vector: try client.versionVector())
        XCTAssertSigned(reply, 200)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.sealedMediaType)
        let response = try reply.decode(PushResponse.self)
        XCTAssertEqual(response, PushResponse(
            received: pushed.count, applied: pushed.count, duplicates: 0, held: 0, heldAheadMilliseconds: 0,
            vector: try store.versionVector().description))
        XCTAssertEqual(try store.changes().count, before + pushed.count)
        XCTAssertEqual(try store.peerKnowledge(peer.replica), try client.versionVector())

        // Pushed twice (a retried page): duplicates, nothing new.
        let again = try await peer.push(pushed)
        XCTAssertSigned(again, 200)
        XCTAssertEqual(try again.decode(PushResponse.self).duplicates, pushed.count)
        XCTAssertEqual(try again.decode(PushResponse.self).applied, 0)

        // Both ways: the stores converge.
        try client.apply(try store.changes())
        XCTAssertEqual(try client.exportText(), try store.exportText())
    }

    func testPushAcceptsACompressedAndAnEmptyPage() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        for index in 0..<50 { try client.add("成员\(index)") { $0.notes = String(repeating: "备注", count: 20) } }

        let reply = try await peer.push(try client.changes(), compress: true)
        XCTAssertSigned(reply, 200)
        XCTAssertEqual(try reply.decode(PushResponse.self).applied, try client.changes().count)
        XCTAssertEqual(try store.exportSection(.memberCollection), try client.exportSection(.memberCollection))

        let empty = try await peer.push([])
        XCTAssertSigned(empty, 200)
        XCTAssertEqual(try empty.decode(PushResponse.self).received, 0)
        // An unparseable vector in the head is ignored, not fatal.
        let odd = try await peer.send(.POST, SyncAPI.pushPath, body: try SealedFrame.encode(head: PushHead(vector: "nonsense"), batch: ChangeBatch.encode([])))
        XCTAssertSigned(odd, 200)
    }

    func testPushReportsChangesHeldForClockSkew() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let hour: Int64 = 3_600_000
        let ahead = try makeStore("阿杰", team: store.team, now: { Store.systemClock() + hour })
        try ahead.add("未来人")
        let changes = try ahead.changes()

        let reply = try await peer.push(changes)
        XCTAssertSigned(reply, 200)
        let response = try reply.decode(PushResponse.self)
        XCTAssertEqual(response.held, changes.count)
        XCTAssertEqual(response.applied, 0)
        XCTAssertGreaterThan(response.heldAheadMilliseconds, hour - 60_000)
        XCTAssertLessThanOrEqual(response.heldAheadMilliseconds, hour + 1_000)
        XCTAssertEqual(try store.heldChanges().count, changes.count)
    }

    func testSnapshotIsAWorkingCopyOfTheStore() async throws {
        let (store, _) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let reply = try await peer.snapshot()
        XCTAssertSigned(reply, 200)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.sealedMediaType)
        XCTAssertFalse(reply.raw.starts(with: Array("SQLite".utf8)))
        XCTAssertEqual(Array(reply.body.prefix(16)), Array("SQLite format 3\0".utf8))

        let file = try makeTemporaryDirectory().appendingPathComponent("snapshot.sqlite")
        try Data(reply.body).write(to: file)
        let copy = try Store.create(fromSnapshot: file, at: try makeTemporaryDirectory().appendingPathComponent("store"),
                                    operatorName: "新人", expectedTeam: store.team.id)
        XCTAssertEqual(try copy.exportSection(.memberCollection), try store.exportSection(.memberCollection))
        XCTAssertTrue(try copy.versionVector().dominates(try store.versionVector()), "every change came along")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.contains("snapshot") }
        XCTAssertEqual(leftovers, [], "the temporary snapshot is removed")
    }

    func testRunStopsGracefullyOnSIGTERM() async throws {
        let store = try makeStore("林晓")
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = Task {
            try await SyncServer(store: store, port: 0).run { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var port: Int?
        for await bound in ports { port = bound }
        let peer = TestPeer(port: try XCTUnwrap(port), team: store.team, replica: .random())
        XCTAssertNotEqual(peer.port, 0)
        XCTAssertSigned(try await peer.info(), 200)

        // `run` traps SIGTERM (and SIGINT) while it serves: the signal ends it, not the process.
        let started = Date()
        kill(getpid(), SIGTERM)
        try await server.value
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "an idle keep-alive connection must not hold up shutdown")
        do {
            // (A refused connection is retried by AsyncHTTPClient until the deadline.)
            _ = try await peer.send(.POST, SyncAPI.infoPath, body: Array("{}".utf8), timeout: .seconds(1))
            XCTFail("the server still answers after SIGTERM")
        } catch {}
    }

    func testAPortInUseIsReportedClearly() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        do {
            try await SyncServer(store: store, port: peer.port).run { _ in XCTFail("must not listen") }
            XCTFail("expected the port to be in use")
        } catch let error as SyncServerError {
            XCTAssertEqual(error, .addressInUse(host: "127.0.0.1", port: peer.port))
            XCTAssertTrue(error.description.contains("--listen"))
        }
    }
}
