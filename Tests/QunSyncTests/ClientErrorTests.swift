import AsyncHTTPClient
import Foundation
import NIOHTTP1
import QunCore
import QunStore
@testable import QunSync
import XCTest

/// What the client says when a sync cannot happen — and that nothing is applied then.
final class ClientErrorTests: ClientTestCase {
    func testServerOfAnotherTeamIsRefusedAndNothingIsApplied() async throws {
        let theirs = try makeStore("王磊")
        try theirs.add("张三")
        let ours = try makeStore("林晓")
        try ours.add("李四")
        let url = try await serve(theirs)
        let (theirsBefore, oursBefore) = (try theirs.fingerprint(), try ours.fingerprint())

        let error = await syncClientError { try await sync(ours, with: url) }
        XCTAssertEqual(error, .refused(url: url))
        XCTAssertEqual(error?.description, "\(url) refused this laptop: it belongs to another team or the invite is outdated")
        XCTAssertEqual(try theirs.fingerprint(), theirsBefore)
        XCTAssertEqual(try ours.fingerprint(), oursBefore)
        XCTAssertNil(try theirs.peerKnowledge(ours.replica))
    }

    func testWrongSecretIsRefused() async throws {
        let wang = try makeStore("王磊")
        try wang.add("张三")
        // The right team id, an outdated secret.
        let stale = try makeStore("林晓", team: Store.Team(id: wang.team.id, secret: Store.Team.random().secret))
        let url = try await serve(wang)
        let before = try wang.fingerprint()

        let error = await syncClientError { try await sync(stale, with: url) }
        XCTAssertEqual(error, .refused(url: url))
        XCTAssertEqual(try wang.fingerprint(), before)
        XCTAssertEqual(try stale.exportSection(.memberCollection), "[]")
    }

    func testNobodyListeningIsSaidAtOnce() async throws {
        let lin = try makeStore("林晓")
        let url = "http://127.0.0.1:1"
        let started = Date()
        let error = await syncClientError { try await sync(lin, with: url) }
        XCTAssertEqual(error, .unreachable(url: url))
        XCTAssertEqual(error?.description, "cannot reach http://127.0.0.1:1: is `qun serve` running there? (pages already received are kept; run `qun sync` again once it is)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "a refused connection is not retried until the connect timeout")
    }

    func testSyncingWithItselfIsRefused() async throws {
        let lin = try makeStore("林晓")
        let url = try await serve(lin)
        let error = await syncClientError { try await sync(lin, with: url) }
        XCTAssertEqual(error, .sameStore(url: url))
    }

    func testURLsThatAreNotPeerAddresses() throws {
        let lin = try makeStore("林晓")
        for url in ["", "ftp://127.0.0.1:7420", "127.0.0.1:7420", "http://", "http://host:7420/?x=1"] {
            XCTAssertThrowsError(try client(lin, url), url) { error in
                XCTAssertEqual(error as? SyncClientError, .invalidURL(url), url)
            }
        }
        // Trailing slashes and IPv6 literals are fine.
        XCTAssertEqual(try client(lin, "http://127.0.0.1:7420/").connection.base, "http://127.0.0.1:7420")
        XCTAssertEqual(try client(lin, "http://[::1]:7420").connection.base, "http://[::1]:7420")
    }

    func testAnswersAreTrustedOnlyWithTheRightSignature() throws {
        let lin = try makeStore("林晓")
        let connection = try client(lin, "http://127.0.0.1:7420").connection
        let requestMAC = String(repeating: "ab", count: 32)
        let digest = SyncSigner.digest([UInt8]("{}".utf8))
        let right = SyncSigner(team: lin.team).responseMAC(status: 200, requestMAC: requestMAC, bodyDigest: digest)
        let otherTeam = SyncSigner(team: .random()).responseMAC(status: 200, requestMAC: requestMAC, bodyDigest: digest)

        XCTAssertNoThrow(try connection.check(200, [SyncAPI.signatureHeader: right], bodyDigest: digest, requestMAC: requestMAC))
        // Another team's key, an altered body, an answer to another question, another status.
        for (status, signature, body, mac) in [
            (200, otherTeam, digest, requestMAC),
            (200, right, SyncSigner.digest([UInt8]("{ }".utf8)), requestMAC),
            (200, right, digest, String(repeating: "cd", count: 32)),
            (400, right, digest, requestMAC),
        ] {
            XCTAssertThrowsError(try connection.check(status, [SyncAPI.signatureHeader: signature], bodyDigest: body, requestMAC: mac)) {
                XCTAssertEqual($0 as? SyncClientError, .notOfTeam(url: "http://127.0.0.1:7420"))
            }
        }
        XCTAssertEqual(
            SyncClientError.notOfTeam(url: "http://x:1").description,
            "the peer at http://x:1 is not of this team (or the answer was altered); nothing it sent was used")
        // No signature at all: not a qun server.
        XCTAssertThrowsError(try connection.check(404, [:], bodyDigest: digest, requestMAC: requestMAC)) {
            XCTAssertEqual($0 as? SyncClientError, .notAPeer(url: "http://127.0.0.1:7420", status: 404))
        }
        // A signed 404: a peer of protocol 1, which authenticates the request but knows no /v2
        // path. Told to upgrade, never downgraded to clear text.
        let notFound = SyncSigner(team: lin.team).responseMAC(status: 404, requestMAC: requestMAC, bodyDigest: digest)
        XCTAssertThrowsError(try connection.check(404, [SyncAPI.signatureHeader: notFound], bodyDigest: digest, requestMAC: requestMAC)) {
            XCTAssertEqual($0 as? SyncClientError, .olderPeer(url: "http://127.0.0.1:7420"))
            XCTAssertTrue("\($0)".contains("upgrade qun on that laptop"), "\($0)")
        }
        // An unsigned 401: refused, whatever it carries.
        XCTAssertThrowsError(try connection.check(401, [:], bodyDigest: digest, requestMAC: requestMAC)) {
            XCTAssertEqual($0 as? SyncClientError, .refused(url: "http://127.0.0.1:7420"))
        }
    }

    func testThePeersOwnMessageIsShownForOtherRefusals() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        let url = try await serve(wang)
        let connection = try client(lin, url).connection
        let answer = try await connection.exchange(SyncAPI.pullPath, plaintext: Array("not json".utf8))
        XCTAssertEqual(answer.status, 400)
        let error = connection.failure(answer)
        guard case .peerError(let errorURL, 400, let message) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(errorURL, url)
        XCTAssertTrue(message.contains("not valid JSON"), message)
        XCTAssertTrue(error.description.hasPrefix("\(url) refused the request (HTTP 400): "), error.description)
    }

    func testAReplicaClashIsTheServersConflictMessageAndNothingIsApplied() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        try wang.add("张三")
        let url = try await serve(wang)
        // A change under the server's own replica id and seq, with other content: two stores
        // sharing an id.
        let original = try XCTUnwrap(try wang.changes().last)
        let forged = Change(id: original.id, hlc: HLC(rawValue: original.hlc.rawValue + 1), collection: original.collection,
                            record: original.record, field: original.field, operation: original.operation)
        let before = try wang.fingerprint()
        let error = await syncClientError { try await client(lin, url).pushPage(changes: [forged]) }
        guard case .peerError(_, 409, let message)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(message.contains("share replica id"), message)
        XCTAssertEqual(try wang.fingerprint(), before)
    }

    func testLargeBatchesAreSplitToThePeersBodyLimitAndGzipped() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        let note = String(repeating: "每周六下午读书会，负责签到和场地。", count: 20)
        for index in 0..<60 { try lin.add("会员\(index)") { $0.notes = note } }
        let url = try await serve(wang)
        let changes = try lin.changes()
        let batchBytes = ChangeBatch.encode(changes).count
        XCTAssertGreaterThan(batchBytes, SyncConnection.gzipThreshold)

        // A limit of a fifth of the batch: at least five requests, all applied.
        let response = try await client(lin, url).pushPage(changes: changes, maximumBodyBytes: batchBytes / 5)
        XCTAssertEqual(response.applied, changes.count)
        XCTAssertEqual(response.received, changes.count)
        XCTAssertEqual(response.vector, try wang.versionVector().description)
        XCTAssertEqual(try wang.exportSection(.memberCollection), try lin.exportSection(.memberCollection))

        // One change over the limit cannot be split.
        let error = await syncClientError { try await client(lin, url).pushPage(changes: [changes[0]], maximumBodyBytes: 10) }
        guard case .changeTooLarge? = error else { return XCTFail("\(String(describing: error))") }
    }

    func testSchemaNotes() {
        XCTAssertEqual(
            SyncClient.schemaNotes(peer: "wang", peerSchema: 3, localSchema: 2),
            ["wang runs a newer qun (schema 3): upgrade soon; its new fields pass through untouched"])
        XCTAssertEqual(SyncClient.schemaNotes(peer: "wang", peerSchema: 2, localSchema: 2), [])
        XCTAssertEqual(SyncClient.schemaNotes(peer: "wang", peerSchema: 1, localSchema: 2).count, 1)
    }
}
