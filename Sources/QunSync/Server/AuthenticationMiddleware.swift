import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QunCore
import QunStore

/// What the middleware checks a request against, read from the store for each request: a
/// removal or a new key epoch takes effect at once.
struct TeamAccess: Sendable {
    var roster: Roster
    var ring: KeyRing
    /// The keys of the invites this laptop issued, by invite id (`TeamInvite.id`).
    var inviteKeys: [String: [UInt8]]
}

/// Lets through only fresh requests signed with the team secret and sealed with the team's
/// key, opens their bodies, and signs every answer.
///
/// A request must carry `X-Qun-Team` (this store's team), `X-Qun-Replica` (32 hex),
/// `X-Qun-Time` (digits) and `Authorization: Qun-HMAC-SHA256 <mac>`, where `mac` is
/// `SyncSigner.requestMAC` over the method, the path (without query), those headers and the
/// SHA-256 of the body exactly as received. Then, in this order:
///
/// 1. a protocol-1 path (`/v1/...`, clear bodies) gets a signed 426 telling the older laptop
///    to upgrade: never data, and never a silent fall-back to clear text;
/// 2. a time more than `SyncAPI.freshnessWindowMilliseconds` from this server's clock gets a
///    signed 401 naming the difference and carrying `X-Qun-Server-Time`;
/// 3. a MAC already seen inside the window (`ReplayGuard`) gets 401: a replay;
/// 4. the body must be an envelope sealed for this very request (`SealContext.request`), or
///    the answer is 400; its plaintext (inflated if it was compressed) goes to the handler in
///    `context.plaintext`, with `context.answer` to seal the 200 answer.
///
/// Anything unsigned is a 401 whose body says what to do and nothing about the store: a
/// stranger on the network learns neither records nor which routes exist.
///
/// The body is read here, up to `SyncAPI.maximumBodyBytes` (413 beyond), because the MAC
/// covers it; but only once the headers are there, well-formed and of this team, and only
/// when the bodies already in flight leave room for it (`BodyBudget`, 503 otherwise).
///
/// Every answer to an authenticated request, including 4xx from the handlers and 500,
/// carries `X-Qun-Signature` = `SyncSigner.responseMAC(status, request MAC, SHA-256 of the
/// body as sent, signed headers)`, so the client accepts only answers from its team, bound
/// to its question. A 401 for a missing or wrong MAC is not signed: there is no valid request
/// MAC to bind it to.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    let signer: SyncSigner
    /// The roster and keys as the store has them now: who may ask, with which key.
    let access: @Sendable () async throws -> TeamAccess
    let replays: ReplayGuard
    let bodies: BodyBudget
    let store: StoreWatch
    let clock: @Sendable () -> Int64
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        // Whatever can be checked before the body is read is checked first: a stranger
        // without the team's headers costs no memory, and bodies in flight share one budget.
        let claimed = try checkHeaders(request)
        let announced = request.headers[.contentLength].flatMap { Int($0) }
        if let announced, announced > context.maxUploadSize { throw SyncError.bodyTooLarge }
        let reserved = min(announced ?? context.maxUploadSize, context.maxUploadSize)
        guard bodies.reserve(reserved) else {
            logger.info("refused a request: too many bodies in flight", metadata: ["path": "\(request.uri.path)"])
            throw SyncError.busy
        }
        defer { bodies.release(reserved) }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw SyncError.bodyTooLarge
        }
        let access = try await self.access()
        let signed = try authenticate(request, claimed, body: body, access: access)

        var response: Response
        do {
            var context = context
            // Signed, so that the teammate is told why (and a stranger still gets only 401).
            guard store.isPresent else {
                logger.error("the store was deleted or replaced", metadata: ["path": "\(store.path)"])
                throw SyncError.storeGone
            }
            try admit(signed, request)
            context.peer = signed.replica
            context.role = signed.role
            (context.plaintext, context.answer) = try open(body, signed, request, access: access)
            response = try await next(request, context)
        } catch let error as StaleRequest {
            var answer = try SyncError.unauthorized(error.message).response(from: request, context: context)
            answer.headers[.qunServerTime] = String(error.serverTime)
            response = answer
        } catch {
            response = try SyncError.answer(for: error, logger: logger).response(from: request, context: context)
        }
        return try await sign(response, requestMAC: signed.mac, key: signed.answerKey)
    }

    /// What the headers claim; once `mac` is set, vouched for by it.
    private struct SignedRequest {
        var replica: ReplicaID
        var replicaText: String
        var time: Int64
        var timeText: String
        var scheme: String
        /// The MAC or signature as given in `Authorization`.
        var authorization: String
        /// The MAC or signature, once it checked out: what replays are recognised by and
        /// answers are bound to.
        var mac = ""
        /// The requester's role; nil for a laptop of an open team the roster does not know yet.
        var role: TeamRole?
        /// A join request: the invite's key, which seals and signs its answer.
        var answerKey: [UInt8]?
    }

    /// Checks the headers that must be there, well-formed and of this team, before the body
    /// is read.
    private func checkHeaders(_ request: Request) throws -> SignedRequest {
        let headers = request.headers
        guard let team = headers[.qunTeam], let replicaText = headers[.qunReplica], let time = headers[.qunTime],
              let authorization = headers[.authorization] else {
            throw refuse("unsigned request: qun peers sign every request with the team secret; join the team with `qun init --join INVITE` and sync with `qun sync`",
                         request)
        }
        guard team == signer.team else {
            throw refuse("this laptop belongs to another team: check the peer's address, or join its team with `qun init --join INVITE`",
                         request)
        }
        guard replicaText.utf8.count == 32, replicaText.utf8.allSatisfy(\.isLowercaseHexDigit),
              let replica = ReplicaID(hex: replicaText),
              (1...16).contains(time.utf8.count), time.utf8.allSatisfy({ (48...57).contains($0) }),
              let stamp = Int64(time) else {
            throw refuse("malformed \(SyncAPI.replicaHeader) or \(SyncAPI.timeHeader) header: upgrade qun on the requesting laptop", request)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
        let lengths = [SyncAPI.authorizationScheme: 64, SyncAPI.laptopScheme: 128, SyncAPI.inviteScheme: 64]
        guard parts.count == 2, let length = lengths[parts[0]], parts[1].utf8.count == length,
              parts[1].utf8.allSatisfy(\.isLowercaseHexDigit) else {
            throw refuse("wrong signature: the request was not made by a laptop of this team, or it was altered on the way; nothing was done",
                         request)
        }
        return SignedRequest(replica: replica, replicaText: replicaText, time: stamp, timeText: time,
                             scheme: parts[0], authorization: parts[1])
    }

    /// Checks who is asking: a teammate in the roster by its laptop key; a laptop the roster
    /// does not know by the team secret, while the team is open; a joining laptop by its
    /// invite, on the join path only. A removed laptop gets 401 whatever it signs with.
    private func authenticate(_ request: Request, _ claimed: SignedRequest, body: ByteBuffer, access: TeamAccess) throws -> SignedRequest {
        let digest = SyncSigner.digest(Array(body.readableBytesView))
        let text = signer.requestText(
            method: request.method.rawValue, path: request.uri.path, replica: claimed.replicaText, time: claimed.timeText,
            bodyDigest: digest)
        let wrong = "wrong signature: the request was not made by a laptop of this team, or it was altered on the way; nothing was done"
        var signed = claimed
        signed.mac = claimed.authorization
        if claimed.scheme == SyncAPI.inviteScheme {
            guard request.uri.path == SyncAPI.joinPath, let invite = request.headers[.qunInvite],
                  let key = access.inviteKeys[invite] else { throw refuse(wrong, request) }
            let expected = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)).hexString
            guard SyncSigner.same(claimed.authorization, expected) else { throw refuse(wrong, request) }
            signed.answerKey = key
            return signed
        }
        if request.uri.path == SyncAPI.joinPath { throw refuse(wrong, request) }
        if let entry = access.roster.entries[claimed.replica] {
            if entry.removal != nil {
                throw refuse("this laptop was removed from the team: it can no longer sync with its teammates; the data it holds stays on it", request)
            }
            let signature = Store.bytes(hex: claimed.authorization)
            guard claimed.scheme == SyncAPI.laptopScheme,
                  LaptopKey.verify(signature, of: Array(text.utf8), by: entry.signingKey) else { throw refuse(wrong, request) }
            signed.role = entry.role
            return signed
        }
        // A laptop that entered an open team before it was locked may not have reached this
        // roster yet: with the team secret it may hand over its roster entry, nothing more.
        let secretOnly = access.roster.isLocked && request.uri.path == SyncAPI.rosterPath
        guard !access.roster.isLocked || secretOnly else {
            throw refuse("this laptop is not in the team's roster: the team is locked, so only invited laptops sync; ask an admin for an invite (`qun team invite`)", request)
        }
        // An open team: the team secret vouches for a laptop whose roster entry is on its way.
        let mac = claimed.scheme == SyncAPI.authorizationScheme ? claimed.authorization : request.headers[.qunTeamMAC]
        guard let mac, SyncSigner.same(mac, signer.requestMAC(
            method: request.method.rawValue, path: request.uri.path, replica: claimed.replicaText, time: claimed.timeText,
            bodyDigest: digest)) else { throw refuse(wrong, request) }
        return signed
    }

    /// Steps 1 to 3: the protocol, the time, the replay.
    private func admit(_ signed: SignedRequest, _ request: Request) throws {
        if request.uri.path.hasPrefix(SyncAPI.clearProtocolPrefix) {
            throw SyncError.clearProtocol
        }
        let now = clock()
        let difference = signed.time - now
        guard abs(difference) <= SyncAPI.freshnessWindowMilliseconds else {
            logger.info("refused a stale request", metadata: ["path": "\(request.uri.path)", "difference_ms": "\(difference)"])
            throw StaleRequest(difference: difference, serverTime: now)
        }
        switch replays.admit(signed.mac, time: signed.time, now: now) {
        case .fresh:
            break
        case .replay:
            logger.info("refused a replayed request", metadata: ["path": "\(request.uri.path)"])
            throw SyncError.unauthorized("this exact request was already received: a copy is refused (a replay?); nothing was done")
        case .full:
            throw SyncError(.serviceUnavailable, "this laptop is answering too many requests at once: try again in a few minutes")
        }
    }

    /// Step 4: opens the sealed body and prepares the answer's sealer.
    private func open(_ body: ByteBuffer, _ signed: SignedRequest, _ request: Request, access: TeamAccess) throws -> ([UInt8], AnswerSealer) {
        let ring = signed.answerKey.map { KeyRing(team: access.ring.team, only: 0, key: $0) } ?? access.ring
        let context = SealContext.request(
            team: signer.team, method: request.method.rawValue, path: request.uri.path,
            replica: signed.replicaText, time: signed.timeText)
        let opened: (plaintext: [UInt8], flags: SealedEnvelope.Flags, epoch: UInt32)
        do {
            opened = try SealedEnvelope.open(body.readableBytesView, ring: ring, purpose: .wire, context: context)
        } catch let error as SealError {
            switch error {
            case .notSealed:
                throw SyncError.badRequest("the request body is not sealed with the team's key: upgrade qun on the requesting laptop; nothing was done")
            default:
                throw SyncError.badRequest("\(error); nothing was done")
            }
        }
        var plaintext = opened.plaintext
        if opened.flags.contains(.gzip) {
            plaintext = try Gzip.decompress(ByteBuffer(bytes: plaintext), limit: SyncAPI.maximumBodyBytes)
        }
        // The roster travels in the team's first epoch, which every teammate holds, so that a
        // laptop behind on key epochs can catch up; the data travels only in the newest.
        if request.uri.path != SyncAPI.rosterPath, signed.answerKey == nil, opened.epoch < ring.current {
            throw SyncError(.conflict, "the request is sealed with key epoch \(opened.epoch), retired since a teammate was removed: sync again (qun learns the new key first); nothing was done")
        }
        // Answer in the epoch the request came in: the requester holds that key.
        let answerRing = ring.sealing(with: opened.epoch) ?? ring
        return (plaintext, AnswerSealer(ring: answerRing, path: request.uri.path, requestMAC: signed.mac))
    }

    private func refuse(_ message: String, _ request: Request) -> SyncError {
        logger.info("refused an unauthenticated request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
        return .unauthorized(message)
    }

    /// Adds `X-Qun-Signature`. The body is collected to hash it; sync answers are bounded
    /// (a page, a vector, a snapshot), and are written as one buffer anyway.
    private func sign(_ response: Response, requestMAC: String, key: [UInt8]? = nil) async throws -> Response {
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers = response.headers
        let signedHeaders = SyncSigner.signedHeaderText { name in
            HTTPField.Name(name).flatMap { headers[$0] }
        }
        headers[.qunSignature] = (key.map { SyncSigner(team: signer.team, key: $0) } ?? signer).responseMAC(
            status: response.status.code, requestMAC: requestMAC,
            bodyDigest: SyncSigner.digest(Array(collector.buffer.readableBytesView)), signedHeaders: signedHeaders)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: collector.buffer))
    }
}

/// A validly signed request stamped outside the freshness window: answered with a signed 401
/// that names the difference and the server's time.
private struct StaleRequest: Error {
    var difference: Int64
    var serverTime: Int64

    var message: String {
        let side = difference > 0 ? "ahead of" : "behind"
        return "the request is stamped \(DurationText.describe(milliseconds: abs(difference))) \(side) this laptop's clock (more than \(DurationText.describe(milliseconds: SyncAPI.freshnessWindowMilliseconds)) apart): a recorded request replayed later, or a wrong clock on one of the two laptops; set the clocks right and sync again; nothing was done"
    }
}

/// Gathers what a response body writes, so that it can be hashed before it is sent.
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension UInt8 {
    fileprivate var isLowercaseHexDigit: Bool { (48...57).contains(self) || (97...102).contains(self) }
}
