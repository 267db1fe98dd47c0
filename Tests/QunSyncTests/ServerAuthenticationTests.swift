import Foundation
import NIOHTTP1
import QunCore
import QunStore
import QunSync
import XCTest

/// Without the team secret, every path answers 401 and nothing else: no records, no hint of
/// what the store holds, no change to it.
final class ServerAuthenticationTests: ServerTestCase {
    private struct Fixture {
        var store: Store
        var peer: TestPeer
        var member: Member
        /// What must never appear in a refusal.
        var secrets: [String]
    }

    private func fixture() async throws -> Fixture {
        let store = try makeStore("林晓")
        let member = try store.add("王秘密") {
            $0.phone = "13800138000"
            $0.wechat = "wx_secret_id"
            $0.city = "杭州"
        }
        let peer = try await serve(store)
        return Fixture(store: store, peer: peer, member: member,
                       secrets: [member.name, member.id, String(member.id.prefix(8)), "13800138000", "wx_secret_id",
                                 "杭州", "林晓", store.replica.hex])
    }

    /// Every route, with a body that would be accepted if signed.
    private func routes(_ fixture: Fixture) throws -> [(HTTPMethod, String, [UInt8])] {
        let pull = Array(try JSONEncoder().encode(PullRequest(vector: "")))
        let other = try makeStore("阿杰", team: fixture.store.team)
        try other.add("李四")
        return [
            (.GET, SyncAPI.infoPath, []),
            (.POST, SyncAPI.pullPath, pull),
            (.POST, SyncAPI.pushPath, ChangeBatch.encode(try other.changes())),
            (.GET, SyncAPI.snapshotPath, []),
            (.GET, "/v1/unknown", []),
            (.GET, "/", []),
        ]
    }

    private func assertRefused(
        _ reply: Reply, _ fixture: Fixture, _ what: String, mentioning: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(reply.status, 401, "\(what): \(reply.text)", file: file, line: line)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.jsonMediaType, what, file: file, line: line)
        XCTAssertNotNil(reply.error, "\(what): the body is an ErrorBody", file: file, line: line)
        XCTAssertNil(reply[SyncAPI.signatureHeader], "\(what): a 401 is not signed", file: file, line: line)
        for secret in fixture.secrets {
            XCTAssertFalse(reply.text.contains(secret), "\(what): the refusal leaks '\(secret)'", file: file, line: line)
        }
        if let mentioning {
            XCTAssertTrue(reply.text.contains(mentioning), "\(what): \(reply.text)", file: file, line: line)
        }
    }

    func testEveryPathRefusesAnUnsignedRequest() async throws {
        let fixture = try await fixture()
        let before = try fixture.store.fingerprint()
        for (method, path, body) in try routes(fixture) {
            let reply = try await fixture.peer.send(method, path, body: body, signing: .none)
            assertRefused(reply, fixture, "\(method) \(path) unsigned", mentioning: "unsigned")
        }
        XCTAssertEqual(try fixture.store.fingerprint(), before)
    }

    func testEveryPathRefusesAWrongMAC() async throws {
        let fixture = try await fixture()
        let before = try fixture.store.fingerprint()
        for (method, path, body) in try routes(fixture) {
            let reply = try await fixture.peer.send(method, path, body: body, signing: .wrongSecret)
            assertRefused(reply, fixture, "\(method) \(path) with another secret", mentioning: "wrong signature")
            for authorization in ["", "Qun-HMAC-SHA256", "Qun-HMAC-SHA256 ", "Bearer abc", "Qun-HMAC-SHA256 " + String(repeating: "0", count: 64)] {
                let reply = try await fixture.peer.send(method, path, body: body, signing: .headers([SyncAPI.authorizationHeader: authorization]))
                assertRefused(reply, fixture, "\(method) \(path) with Authorization '\(authorization)'")
            }
        }
        XCTAssertEqual(try fixture.store.fingerprint(), before)
    }

    func testEveryPathRefusesAnotherTeam() async throws {
        let fixture = try await fixture()
        let before = try fixture.store.fingerprint()
        for (method, path, body) in try routes(fixture) {
            let reply = try await fixture.peer.send(method, path, body: body, signing: .otherTeam(.random()))
            assertRefused(reply, fixture, "\(method) \(path) from another team", mentioning: "this laptop belongs to another team")
        }
        XCTAssertEqual(try fixture.store.fingerprint(), before)
    }

    func testATamperedBodyOrPathIsRefused() async throws {
        let fixture = try await fixture()
        let before = try fixture.store.fingerprint()
        for (method, path, body) in try routes(fixture) {
            // Signed for an empty body (or one byte less), sent with another.
            let signed = body.isEmpty ? [UInt8]("x".utf8) : Array(body.dropLast())
            let reply = try await fixture.peer.send(method, path, body: body, signing: .forBody(signed))
            assertRefused(reply, fixture, "\(method) \(path) with a tampered body", mentioning: "wrong signature")
        }
        // A request signed for one path replayed against another.
        let reply = try await fixture.peer.send(.GET, SyncAPI.snapshotPath, signing: .forPath(SyncAPI.infoPath))
        assertRefused(reply, fixture, "a request signed for /v1/info sent to /v1/snapshot")
        XCTAssertEqual(try fixture.store.fingerprint(), before)
    }

    func testMalformedAuthenticationHeadersAreRefused() async throws {
        let fixture = try await fixture()
        let cases: [String: [String: String]] = [
            "uppercase replica": [SyncAPI.replicaHeader: fixture.peer.replica.hex.uppercased()],
            "short replica": [SyncAPI.replicaHeader: "abc"],
            "time with letters": [SyncAPI.timeHeader: "12a4"],
            "time too long": [SyncAPI.timeHeader: String(repeating: "1", count: 17)],
            "empty time": [SyncAPI.timeHeader: ""],
            "empty team": [SyncAPI.teamHeader: ""],
        ]
        for (name, headers) in cases {
            let reply = try await fixture.peer.send(.GET, SyncAPI.infoPath, signing: .headers(headers))
            assertRefused(reply, fixture, name)
        }
    }

    func testSignedRequestsGetSignedAnswersBoundToTheRequest() async throws {
        let fixture = try await fixture()
        let reply = try await fixture.peer.info()
        XCTAssertSigned(reply, 200)
        let signature = try XCTUnwrap(reply[SyncAPI.signatureHeader])
        XCTAssertNotNil(signature.range(of: "^[0-9a-f]{64}$", options: .regularExpression))
        // The same answer does not verify for another request's MAC.
        let other = fixture.peer.signer.responseMAC(status: 200, requestMAC: String(repeating: "0", count: 64),
                                                    bodyDigest: SyncSigner.digest(reply.body))
        XCTAssertNotEqual(signature, other)
        // 4xx answers of the handlers are signed too.
        let bad = try await fixture.peer.send(.POST, SyncAPI.pullPath, body: Array("{".utf8))
        XCTAssertSigned(bad, 400)
        let missing = try await fixture.peer.send(.GET, "/v1/unknown")
        XCTAssertSigned(missing, 404)
    }
}
