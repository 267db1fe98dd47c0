import Foundation
import NIOHTTP1
import QunCore
import QunStore
import QunSync
import XCTest

/// Malformed, hostile or oversized input from an authenticated peer: a 4xx with a clear
/// message, signed, and the store exactly as before (never a crash, never a partial apply).
final class ServerBadInputTests: ServerTestCase {
    private func assertRefused(
        _ reply: Reply, _ status: Int, _ what: String, mentioning: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertSigned(reply, status, what, file: file, line: line)
        XCTAssertEqual(reply["Content-Type"], SyncAPI.jsonMediaType, what, file: file, line: line)
        let message = reply.error ?? ""
        XCTAssertFalse(message.isEmpty, "\(what): an ErrorBody with a message", file: file, line: line)
        if let mentioning {
            XCTAssertTrue(message.contains(mentioning), "\(what): '\(message)' should mention '\(mentioning)'", file: file, line: line)
        }
    }

    func testMalformedPullRequestsAre400() async throws {
        let (store, _) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let before = try store.fingerprint()
        let replica = store.replica.hex
        let cases: [(String, String, String)] = [
            ("empty body", "", "not valid JSON"),
            ("cut-off JSON", #"{"vector": ""#, "not valid JSON"),
            ("an array", "[]", "not valid JSON"),
            ("no vector", #"{"limit": 5}"#, "not valid JSON"),
            ("vector of the wrong type", #"{"vector": 5}"#, "not valid JSON"),
            ("bad vector", #"{"vector": "zz:1"}"#, "vector"),
            ("vector with a negative seq", #"{"vector": "\#(replica):-1"}"#, "vector"),
            ("vector naming a replica twice", #"{"vector": "\#(replica):1,\#(replica):2"}"#, "vector"),
            ("bad cursor", #"{"vector": "", "after": "nope"}"#, "cursor"),
            ("cursor without seq", #"{"vector": "", "after": "\#(replica)"}"#, "cursor"),
            ("limit 0", #"{"vector": "", "limit": 0}"#, "limit 0 is out of range"),
            ("negative limit", #"{"vector": "", "limit": -3}"#, "out of range"),
            ("limit one past the maximum", #"{"vector": "", "limit": \#(SyncAPI.maximumPageSize + 1)}"#, "out of range"),
            ("limit 1e9", #"{"vector": "", "limit": 1000000000}"#, "out of range"),
            ("limit 1e9 as exponent", #"{"vector": "", "limit": 1e9}"#, ""),
            ("limit beyond Int64", #"{"vector": "", "limit": 99999999999999999999999}"#, ""),
            ("limit as a string", #"{"vector": "", "limit": "5"}"#, "not valid JSON"),
        ]
        for (name, body, mention) in cases {
            let reply = try await peer.send(.POST, SyncAPI.pullPath, body: Array(body.utf8))
            assertRefused(reply, 400, name, mentioning: mention.isEmpty ? nil : mention)
        }
        // The bounds themselves are fine.
        for limit in [1, SyncAPI.maximumPageSize] {
            XCTAssertSigned(try await peer.pull(PullRequest(vector: "", limit: limit)), 200, "limit \(limit)")
        }
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testMalformedPushesAre400AndApplyNothing() async throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        for index in 0..<20 { try client.add("成员\(index)") { $0.city = "成都" } }
        let batch = ChangeBatch.encode(try client.changes())
        let before = try store.fingerprint()

        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        func frame(_ batch: [UInt8]) throws -> [UInt8] { try SealedFrame.encode(head: PushHead(vector: nil), batch: batch) }
        var wrongCount = batch
        wrongCount.append(0)
        let good = try frame(batch)
        let cases: [(String, [UInt8], Sealing, Bool, String)] = [
            ("garbage", garbage, .sealed, false, "head followed by a change batch"),
            ("empty body", [], .sealed, false, "head followed by a change batch"),
            ("truncated batch", try frame(Array(batch.dropLast(7))), .sealed, false, "malformed change batch"),
            ("half a batch", try frame(Array(batch.prefix(batch.count / 2))), .sealed, false, "malformed change batch"),
            ("trailing byte", try frame(wrongCount), .sealed, false, "malformed change batch"),
            ("JSON instead of a batch", try frame(Array(#"{"changes": []}"#.utf8)), .sealed, false, "malformed change batch"),
            ("a head that is not JSON", [3] + Array("abc".utf8) + batch, .sealed, false, "head"),
            ("gzip of garbage", garbage, .sealed, true, "head followed by a change batch"),
            ("flagged gzip but not gzip", good, .falselyCompressed, false, "gzip"),
            ("a clear frame, not sealed", good, .clear, false, "not sealed"),
            ("a clear batch, as protocol 1 sent it", batch, .clear, false, "not sealed"),
            ("sealed with another team's key", good, .withTeam(.random()), false, "does not open"),
            ("sealed for another request", good, .forContext("qun/2 request x POST /v2/push y 1"), false, "does not open"),
            ("an envelope cut short", good, .cut(5), false, "cut short"),
            ("an envelope without its final chunk", good, .cut(good.count + 16 + 5), false, "cut short"),
            ("a flipped byte in the ciphertext", good, .flipped(SealedEnvelope.headerSize + 5 + 3), false, "does not open"),
            ("a flipped byte in the tag", good, .flipped(SealedEnvelope.headerSize + 5 + good.count + 2), false, "does not open"),
            ("a flipped salt", good, .flipped(12), false, "does not open"),
            ("a flipped kind", good, .flipped(SealedEnvelope.headerSize), false, "does not open"),
            ("another epoch", good, .flipped(7), false, "epoch"),
            ("bytes after the final chunk", good, .cut(-1), false, ""),
        ]
        for (name, body, sealing, compress, mention) in cases {
            let reply = try await peer.send(.POST, SyncAPI.pushPath, body: body, sealing: sealing, compress: compress)
            assertRefused(reply, 400, name, mentioning: mention.isEmpty ? nil : mention)
            XCTAssertEqual(try store.fingerprint(), before, "\(name): the store is unchanged")
        }
        XCTAssertSigned(try await peer.push(try client.changes()), 200, "the same page, intact, is applied")
    }

    func testAnInvalidChangeIs400AndAppliesNothingOfItsPage() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        try client.add("张三")
        var changes = try client.changes()
        let last = try XCTUnwrap(changes.last)
        changes.append(Change(
            id: ChangeID(replica: last.id.replica, seq: last.id.seq + 1), hlc: last.hlc,
            collection: "member", record: last.record, field: "city", operation: .set(.text("a\u{0}b"))))
        let before = try store.fingerprint()
        let reply = try await peer.push(changes)
        assertRefused(reply, 400, "a text with NUL", mentioning: "invalid change")
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testOversizedBodiesAre413() async throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        let peer = try await serve(store)
        let before = try store.fingerprint()

        // A gzip bomb inside the seal: 20 KiB on the wire, past the limit once inflated.
        let bomb = [UInt8](repeating: 0, count: SyncAPI.maximumBodyBytes + 1)
        XCTAssertLessThan(try gzip(bomb).count, 64 * 1024)
        let reply = try await peer.send(.POST, SyncAPI.pushPath, body: bomb, compress: true)
        assertRefused(reply, 413, "gzip bomb", mentioning: "larger than")
        XCTAssertEqual(try store.fingerprint(), before)

        // Exactly at the limit once inflated: read, then refused as a malformed frame.
        let atLimit = [UInt8](repeating: 0, count: SyncAPI.maximumBodyBytes)
        let full = try await peer.send(.POST, SyncAPI.pushPath, body: atLimit, compress: true)
        assertRefused(full, 400, "gzip of exactly the limit", mentioning: "head followed by a change batch")

        // A raw body over the limit, to both endpoints that take one. It cannot be
        // authenticated (the MAC covers the whole body), so the 413 is not signed.
        let huge = [UInt8](repeating: 0x41, count: SyncAPI.maximumBodyBytes + 1)
        for path in [SyncAPI.pushPath, SyncAPI.pullPath] {
            let reply = try await peer.send(.POST, path, body: huge, sealing: .clear)
            XCTAssertEqual(reply.status, 413, path)
            XCTAssertEqual(reply["Content-Type"], SyncAPI.jsonMediaType, path)
            XCTAssertNotNil(reply.error, path)
        }
        XCTAssertEqual(try store.fingerprint(), before)
        // The server still works afterwards.
        XCTAssertSigned(try await peer.info(), 200)
    }

    func testAReplicaClashIs409AndAppliesNothing() async throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        try client.add("李四")
        XCTAssertSigned(try await peer.push(try client.changes()), 200)
        let before = try store.fingerprint()

        // A second store claiming the same (replica, seq) for different changes: two laptops
        // sharing one replica id. One good change in the page must not slip in either.
        let impostor = try makeStore("冒名", team: store.team)
        try impostor.add("王五")
        let fresh = try impostor.changes()
        let clashing = try client.changes().map { change -> Change in
            var change = change
            change.hlc = HLC(rawValue: change.hlc.rawValue + 1)
            return change
        }
        let reply = try await peer.push(fresh + clashing)
        assertRefused(reply, 409, "clash with another replica's changes", mentioning: "share replica id")
        XCTAssertEqual(try store.fingerprint(), before)

        // The same with the server's own replica id.
        var own = try XCTUnwrap(try store.changes().first { $0.id.replica == store.replica })
        own.hlc = HLC(rawValue: own.hlc.rawValue + 1)
        let ownReply = try await peer.push([own])
        assertRefused(ownReply, 409, "clash with the server's own changes", mentioning: "share replica id")
        XCTAssertEqual(try store.fingerprint(), before)
    }

    /// One signed page may not hold the store's write lock for long, nor fill the store with
    /// operations it cannot merge: at most `maximumPageSize` changes, at most
    /// `maximumUnknownPerPage` of unknown operations.
    func testOversizedPagesAndFloodsOfUnknownOperationsAreRefused() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let replica = ReplicaID.random()
        let hlc = HLC(rawValue: Store.systemClock() << 16)
        func changes(_ count: Int, unknown: Bool) -> [Change] {
            (1...count).map { index in
                Change(id: ChangeID(replica: replica, seq: Int64(index)), hlc: hlc, collection: "member", record: "r\(index)",
                       field: "name", operation: unknown ? .unknown(code: 200, payload: [1]) : .set(.text("x")))
            }
        }
        let before = try store.fingerprint()
        let tooMany = try await peer.push(changes(SyncAPI.maximumPageChanges + 1, unknown: false), compress: true)
        assertRefused(tooMany, 413, "a page of \(SyncAPI.maximumPageChanges + 1) changes", mentioning: "send smaller pages")
        let flood = try await peer.push(changes(SyncAPI.maximumUnknownPerPage + 1, unknown: true))
        assertRefused(flood, 400, "a page of unknown operations", mentioning: "does not know")
        XCTAssertEqual(try store.fingerprint(), before, "nothing of either was applied")
        // At the bound, a newer peer's unknown operations are kept and forwarded as before.
        let newer = try await peer.push(changes(SyncAPI.maximumUnknownPerPage, unknown: true))
        XCTAssertSigned(newer, 200)
        XCTAssertEqual(try newer.decode(PushResponse.self).applied, SyncAPI.maximumUnknownPerPage)
    }

    /// Pages within the bound, page after page from one origin: the store keeps at most so
    /// many of their unknown operations; another origin has its own allowance.
    func testUnknownOperationsAreBoundedPerOriginReplica() async throws {
        let store = try makeStore("林晓")
        let peer = try await serve(store, maximumUnknownPerReplica: 1_500)
        let hlc = HLC(rawValue: Store.systemClock() << 16)
        func page(_ origin: ReplicaID, from first: Int, count: Int) -> [Change] {
            (first..<(first + count)).map { seq in
                Change(id: ChangeID(replica: origin, seq: Int64(seq)), hlc: hlc, collection: "member", record: "r\(seq)",
                       field: "x", operation: .unknown(code: 77, payload: [2]))
            }
        }
        let flooder = ReplicaID.random(), other = ReplicaID.random()
        XCTAssertSigned(try await peer.push(page(flooder, from: 1, count: 1_000)), 200)
        let before = try store.fingerprint()
        let second = try await peer.push(page(flooder, from: 1_001, count: 1_000))
        assertRefused(second, 400, "past the bound for one origin", mentioning: "keeps at most 1500")
        XCTAssertEqual(try store.fingerprint(), before)
        XCTAssertEqual(try store.unknownOperationCount(of: flooder), 1_000)
        XCTAssertSigned(try await peer.push(page(flooder, from: 1_001, count: 500)), 200, "up to the bound")
        XCTAssertSigned(try await peer.push(page(other, from: 1, count: 1_000)), 200, "another origin")
    }
}
