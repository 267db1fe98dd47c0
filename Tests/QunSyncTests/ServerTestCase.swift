import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import QunCore
import QunStore
import QunSync
import Logging
import ServiceLifecycle
import XCTest

/// A client as plain as a peer's: no automatic decompression (`HTTPClient.shared` is
/// browser-like and inflates gzip bodies, which would break the check of the signature, made
/// over the body as sent).
let testHTTPClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init())

/// Base class of the server tests: real `SyncServer`s on 127.0.0.1 (port 0, so tests never
/// collide), stopped in `tearDown`, and a small signing client that speaks the protocol the
/// way a peer must (its own code path, sharing only the protocol's primitives).
class ServerTestCase: SyncTestCase {
    private var servers: [(group: ServiceGroup, task: Task<Void, any Error>)] = []

    override func tearDown() async throws {
        // A graceful shutdown, as on SIGTERM: open connections are closed, then `run` returns.
        for server in servers { await server.group.triggerGracefulShutdown() }
        for server in servers { _ = await server.task.result }
        servers.removeAll()
        try await super.tearDown()
    }

    /// Starts a server for `store` and returns a client for it, signing as `replica` (a fresh
    /// one by default) of `store`'s team.
    func serve(
        _ store: Store, as replica: ReplicaID = .random(), maximumUnknownPerReplica: Int = SyncAPI.maximumUnknownPerReplica
    ) async throws -> TestPeer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var server = SyncServer(store: store, port: 0)
        server.maximumUnknownPerReplica = maximumUnknownPerReplica
        let application = try server.makeApplication { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(services: [application], logger: Logger(label: "test"))
        servers.append((group, Task {
            defer { continuation.finish() }
            try await group.run()
        }))
        for await port in ports {
            return TestPeer(port: port, team: store.team, replica: replica)
        }
        // A server that cannot start is a broken test setup, never a reason to pass quietly.
        XCTFail("the test server did not start on 127.0.0.1 (its service group ended before reporting a port)")
        throw ServerDidNotStart()
    }

    /// Three stores of one team with changes of their own, all of them gathered in the first
    /// (so that its log holds several replicas).
    func storeWithThreeReplicas() throws -> (server: Store, others: [Store]) {
        let server = try makeStore("林晓")
        let b = try makeStore("阿杰", team: server.team)
        let c = try makeStore("小美", team: server.team)
        for index in 0..<6 { try server.add("成员\(index)") { $0.city = "杭州" } }
        for index in 0..<5 { try b.add("会员\(index)") { $0.tags = ["早鸟"] } }
        for index in 0..<4 { try c.add("朋友\(index)") { $0.role = .core } }
        try server.apply(try b.changes())
        try server.apply(try c.changes())
        return (server, [b, c])
    }

    /// Gzip, as a client would send it.
    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let compressed = try buffer.compress(with: .gzip())
        return Array(compressed.readableBytesView)
    }

    func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.decompress(with: .gzip()).readableBytesView)
    }
}

/// Thrown when a test server ended before it listened: the test fails (it does not skip).
struct ServerDidNotStart: Error, CustomStringConvertible {
    var description: String { "the test server did not start" }
}

/// How a test request is (mis)signed.
enum Signing {
    /// Correctly, with the team secret.
    case valid
    /// Not at all: no Authorization, no X-Qun-* headers.
    case none
    /// With a MAC made from the right team id but another secret.
    case wrongSecret
    /// As a member of another team (its id, its secret).
    case otherTeam(Store.Team)
    /// Correctly, but for these body bytes; the request then carries its own body.
    case forBody([UInt8])
    /// Correctly, but for another path.
    case forPath(String)
    /// With these headers replacing the computed ones.
    case headers([String: String])
    /// Correctly, stamped this many milliseconds away from this laptop's clock.
    case stampedOff(Int64)
}

/// How a test request's body is sealed.
enum Sealing {
    /// For this very request, with the team's key: what a peer sends.
    case sealed
    /// Not at all: the body goes out as given.
    case clear
    /// With the team's key, but for another context (another request).
    case forContext(String)
    /// For this request, but with another team's key.
    case withTeam(Store.Team)
    /// For this request, then cut short by this many bytes, or lengthened by as many zero
    /// bytes when negative (and signed as sent).
    case cut(Int)
    /// For this request, then the byte at this offset flipped (and signed as flipped).
    case flipped(Int)
    /// For this request, flagged as gzip-compressed though it is not.
    case falselyCompressed
}

/// One answer of the server, with whether its `X-Qun-Signature` checked out and, for a 200,
/// its body opened.
struct Reply {
    var status: Int
    var headers: HTTPHeaders
    /// The body as received.
    var raw: [UInt8]
    /// The opened plaintext of a sealed 200 answer; otherwise the body as received.
    var body: [UInt8]
    /// nil when the request was not validly signed (no MAC to bind the answer to).
    var signatureValid: Bool?
    /// Whether a 200 body opened for this request (nil for other statuses).
    var opened: Bool?

    var text: String { String(decoding: body, as: UTF8.self) }

    subscript(header: String) -> String? { headers.first(name: header) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body))
    }

    var error: String? { try? decode(ErrorBody.self).error }

    /// A pull page's head and changes.
    func page() throws -> (head: PullPageHead, changes: [Change]) {
        let frame = try SealedFrame.decode(body, head: PullPageHead.self)
        return (frame.head, try ChangeBatch.decode(Array(frame.batch)))
    }
}

/// A client of one test server: its own code path for signing and sealing, sharing only
/// `SyncSigner`, `SealedEnvelope` and `SealContext` with `qun sync`.
struct TestPeer {
    var port: Int
    var team: Store.Team
    var replica: ReplicaID

    var signer: SyncSigner { SyncSigner(team: team) }
    var ring: KeyRing { KeyRing(team: team) }

    /// Sends one request, signed as `signing` says, its `body` sealed as `sealing` says, and
    /// checks the answer's signature and opens a 200 body (bound to `binding`, see
    /// `SealContext.pullBinding`).
    func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8] = [], headers: [String: String] = [:],
        signing: Signing = .valid, sealing: Sealing = .sealed, binding: String? = nil, compress: Bool = false,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        var stamp = Int64(Date().timeIntervalSince1970 * 1000)
        if case .stampedOff(let offset) = signing { stamp += offset }
        let time = String(stamp)
        var signedPath = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        var signer = self.signer
        var valid = true
        var fields: [String: String] = [
            SyncAPI.teamHeader: team.id.hex, SyncAPI.replicaHeader: replica.hex, SyncAPI.timeHeader: time,
        ]
        let requestPath = signedPath
        var plaintext = body
        var flags: SealedEnvelope.Flags = []
        if compress {
            var buffer = ByteBuffer(bytes: body)
            plaintext = Array(try buffer.compress(with: .gzip()).readableBytesView)
            flags = .gzip
        }
        let context = SealContext.request(team: team.id.hex, method: method.rawValue, path: requestPath, replica: replica.hex, time: time)
        let sent: [UInt8]
        switch sealing {
        case .sealed: sent = try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: context, flags: flags)
        case .clear: sent = body
        case .forContext(let other): sent = try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: other, flags: flags)
        case .withTeam(let other):
            sent = try SealedEnvelope.seal(plaintext, ring: KeyRing(team: other), purpose: .wire, context: context, flags: flags)
        case .cut(let count):
            let sealed = try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: context, flags: flags)
            sent = count >= 0 ? Array(sealed.dropLast(count)) : sealed + [UInt8](repeating: 0, count: -count)
        case .falselyCompressed:
            sent = try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: context, flags: .gzip)
        case .flipped(let offset):
            var bytes = try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: context, flags: flags)
            bytes[offset] ^= 0x01
            sent = bytes
        }
        var signedBody = sent
        switch signing {
        case .valid, .stampedOff: break
        case .none: fields = [:]
        case .wrongSecret:
            signer = SyncSigner(team: Store.Team(id: team.id, secret: Store.Team.random().secret))
            valid = false
        case .otherTeam(let other):
            signer = SyncSigner(team: other)
            fields[SyncAPI.teamHeader] = other.id.hex
            valid = false
        case .forBody(let other):
            signedBody = other
            valid = false
        case .forPath(let other):
            signedPath = other
            valid = false
        case .headers:
            valid = false
        }
        let mac = signer.requestMAC(
            method: method.rawValue, path: signedPath, replica: fields[SyncAPI.replicaHeader] ?? "",
            time: fields[SyncAPI.timeHeader] ?? "", bodyDigest: SyncSigner.digest(signedBody))
        if !fields.isEmpty { fields[SyncAPI.authorizationHeader] = "\(SyncAPI.authorizationScheme) \(mac)" }
        if case .headers(let replacements) = signing { fields.merge(replacements) { $1 } }
        for (name, value) in fields.merging(headers, uniquingKeysWith: { $1 }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        if !sent.isEmpty || method == .POST { request.body = .bytes(ByteBuffer(bytes: sent)) }

        let response = try await testHTTPClient.execute(request, timeout: timeout)
        let bytes = Array(try await response.body.collect(upTo: 256 * 1024 * 1024).readableBytesView)
        var reply = Reply(status: Int(response.status.code), headers: response.headers, raw: bytes, body: bytes)
        if valid {
            let signedHeaders = SyncSigner.signedHeaderText { response.headers.first(name: $0) }
            let expected = signer.responseMAC(status: reply.status, requestMAC: mac, bodyDigest: SyncSigner.digest(bytes),
                                              signedHeaders: signedHeaders)
            reply.signatureValid = reply[SyncAPI.signatureHeader] == expected
        }
        if reply.status == 200 {
            let answerContext = SealContext.response(team: team.id.hex, path: requestPath, requestMAC: mac, binding: binding)
            if let opened = try? SealedEnvelope.open(bytes, ring: ring, purpose: .wire, context: answerContext) {
                reply.opened = true
                reply.body = opened.flags.contains(.gzip) ? try gunzipBytes(opened.plaintext) : opened.plaintext
            } else {
                reply.opened = false
            }
        }
        return reply
    }

    private func gunzipBytes(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.decompress(with: .gzip()).readableBytesView)
    }

    func info(vector: VersionVector? = nil) async throws -> Reply {
        try await send(.POST, SyncAPI.infoPath, body: Array(try JSONEncoder().encode(InfoRequest(vector: vector?.description))))
    }

    func pull(_ pull: PullRequest) async throws -> Reply {
        try await send(.POST, SyncAPI.pullPath, body: Array(try JSONEncoder().encode(pull)),
                       binding: SealContext.pullBinding(after: pull.after))
    }

    func push(_ changes: [Change], vector: VersionVector? = nil, compress: Bool = false) async throws -> Reply {
        let frame = try SealedFrame.encode(head: PushHead(vector: vector?.description), batch: ChangeBatch.encode(changes))
        return try await send(.POST, SyncAPI.pushPath, body: frame, compress: compress)
    }

    func snapshot() async throws -> Reply {
        try await send(.POST, SyncAPI.snapshotPath, body: Array("{}".utf8))
    }
}

/// Asserts a signed answer with this status whose signature checks out (and, for a 200, whose
/// sealed body opened).
func XCTAssertSigned(_ reply: Reply, _ status: Int, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(reply.status, status, "\(message) \(reply.text.prefix(300))", file: file, line: line)
    XCTAssertEqual(reply.signatureValid, true, "X-Qun-Signature must verify. \(message)", file: file, line: line)
    if status == 200 {
        XCTAssertEqual(reply.opened, true, "a 200 body must be sealed for this request. \(message)", file: file, line: line)
    }
}
