import AsyncHTTPClient
import Foundation
import NIOCore
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
            (.POST, SyncAPI.infoPath, Array("{}".utf8)),
            (.POST, SyncAPI.pullPath, pull),
            (.POST, SyncAPI.pushPath, try SealedFrame.encode(head: PushHead(vector: nil), batch: ChangeBatch.encode(try other.changes()))),
            (.POST, SyncAPI.snapshotPath, Array("{}".utf8)),
            (.GET, "/v1/info", []),
            (.POST, "/v1/pull", pull),
            (.GET, "/v2/unknown", []),
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
        let reply = try await fixture.peer.send(.POST, SyncAPI.snapshotPath, body: Array("{}".utf8), signing: .forPath(SyncAPI.infoPath))
        assertRefused(reply, fixture, "a request signed for /v2/info sent to /v2/snapshot")
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
            let reply = try await fixture.peer.send(.POST, SyncAPI.infoPath, body: Array("{}".utf8), signing: .headers(headers))
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
                                                    bodyDigest: SyncSigner.digest(reply.raw))
        XCTAssertNotEqual(signature, other)
        // 4xx answers of the handlers are signed too.
        let bad = try await fixture.peer.send(.POST, SyncAPI.pullPath, body: Array("{".utf8))
        XCTAssertSigned(bad, 400)
        let missing = try await fixture.peer.send(.POST, "/v2/unknown", body: Array("{}".utf8))
        XCTAssertSigned(missing, 404)
    }

    func testAStaleRequestIsRefusedWithTheClockDifferenceAndTheServersTime() async throws {
        let fixture = try await fixture()
        let before = try fixture.store.fingerprint()
        let window = SyncAPI.freshnessWindowMilliseconds
        for (offset, side) in [(window + 60_000, "ahead of"), (-(window + 7 * 60_000), "behind"), (86_400_000, "ahead of")] {
            let reply = try await fixture.peer.send(.POST, SyncAPI.snapshotPath, body: Array("{}".utf8), signing: .stampedOff(offset))
            // Signed, so that a teammate can trust the server's time it carries; no data.
            XCTAssertSigned(reply, 401, "stamped \(offset) ms off")
            let message = reply.error ?? ""
            XCTAssertTrue(message.contains(side) && message.contains("more than 5m apart"), message)
            XCTAssertTrue(message.contains(DurationText.describe(milliseconds: abs(offset))) || message.contains(DurationText.describe(milliseconds: abs(offset) - 60_000)), message)
            let serverTime = try XCTUnwrap(reply[SyncAPI.serverTimeHeader].flatMap { Int64($0) })
            XCTAssertLessThan(abs(serverTime - Int64(Date().timeIntervalSince1970 * 1000)), 10_000)
            for secret in fixture.secrets { XCTAssertFalse(reply.text.contains(secret)) }
        }
        // Just inside the window either way is fine.
        for offset in [window - 30_000, -(window - 30_000)] {
            XCTAssertSigned(try await fixture.peer.send(.POST, SyncAPI.infoPath, body: Array("{}".utf8), signing: .stampedOff(offset)), 200)
        }
        XCTAssertEqual(try fixture.store.fingerprint(), before)
    }

    func testAReplayedRequestIsRefusedInsideTheWindow() async throws {
        let fixture = try await fixture()
        let other = try makeStore("阿杰", team: fixture.store.team)
        try other.add("李四")
        // The exact bytes of a request, sent twice: the second is a replay.
        let client = testHTTPClient
        let time = String(Int64(Date().timeIntervalSince1970 * 1000))
        let replica = fixture.peer.replica.hex
        let context = SealContext.request(team: fixture.store.team.id.hex, method: "POST", path: SyncAPI.pullPath, replica: replica, time: time)
        let body = try SealedEnvelope.seal(Array(try JSONEncoder().encode(PullRequest(vector: ""))), ring: fixture.peer.ring, purpose: .wire, context: context)
        let mac = fixture.peer.signer.requestMAC(method: "POST", path: SyncAPI.pullPath, replica: replica, time: time, bodyDigest: SyncSigner.digest(body))
        var statuses: [Int] = []
        var answers: [[UInt8]] = []
        for _ in 0..<3 {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(fixture.peer.port)\(SyncAPI.pullPath)")
            request.method = .POST
            request.headers.add(name: SyncAPI.teamHeader, value: fixture.store.team.id.hex)
            request.headers.add(name: SyncAPI.replicaHeader, value: replica)
            request.headers.add(name: SyncAPI.timeHeader, value: time)
            request.headers.add(name: SyncAPI.authorizationHeader, value: "\(SyncAPI.authorizationScheme) \(mac)")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: .seconds(30))
            statuses.append(Int(response.status.code))
            answers.append(Array(try await response.body.collect(upTo: 1 << 24).readableBytesView))
        }
        XCTAssertEqual(statuses, [200, 401, 401])
        let refusal = String(decoding: answers[1], as: UTF8.self)
        XCTAssertTrue(refusal.contains("already received"), refusal)
        for secret in fixture.secrets {
            XCTAssertFalse(answers.contains { String(decoding: $0, as: UTF8.self).contains(secret) }, "'\(secret)' readable")
        }
        // The first answer was data, but sealed: only the request's sender can open it.
        XCTAssertTrue(SealedEnvelope.looksSealed(answers[0]))
    }

    func testAClearProtocolOneRequestIsToldToUpgradeAndGetsNoData() async throws {
        let fixture = try await fixture()
        for (method, path) in [(HTTPMethod.GET, "/v1/info"), (.GET, "/v1/snapshot"), (.POST, "/v1/pull")] {
            let body = method == .POST ? Array(#"{"vector":""}"#.utf8) : []
            let reply = try await fixture.peer.send(method, path, body: body, sealing: .clear)
            // Signed as protocol 1 signed its answers, so that an older qun shows this message.
            XCTAssertSigned(reply, 426, path)
            XCTAssertTrue(reply.error?.contains("upgrade qun on the laptop that made this request") == true, reply.text)
            for secret in fixture.secrets { XCTAssertFalse(reply.text.contains(secret), "\(path) leaks \(secret)") }
        }
    }
}
