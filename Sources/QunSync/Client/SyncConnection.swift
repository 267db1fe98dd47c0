import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import QunCore
import QunStore

/// The signed and sealed HTTP transport to one peer: builds every request the way `SyncAPI`
/// says and trusts no answer before its signature checks out and its body opens.
///
/// Every request is a POST whose body is sealed for that very request
/// (`SealContext.request`) and carries `X-Qun-Team`, `X-Qun-Replica`, `X-Qun-Time` and
/// `Authorization: Qun-HMAC-SHA256 <mac>`, the MAC made over the exact bytes sent. Every
/// answer but a 401 must carry `X-Qun-Signature`, the response MAC bound to this request's
/// MAC and to the body bytes as received; a 200 body must open as an envelope sealed for
/// this request's answer. An answer that fails either check is dropped whole, so a stranger
/// on the network can neither read nor feed changes in nor pass itself off as a teammate.
/// (An unsigned 401 only ever stops a sync, never feeds it.)
///
/// A peer whose clock differs from this laptop's by more than the freshness window answers a
/// signed 401 with its own time; the connection then stamps its requests with the peer's
/// time (`ClockCorrection`) and asks again, once. The stamp only proves freshness: changes
/// keep this laptop's clock, so the peer still holds back those stamped too far ahead.
///
/// The `HTTPClient` belongs to the caller (one per command, shut down at its end, see
/// `SyncClient.withHTTPClient`), so that a sync of several peers reuses one event loop group
/// and its connections.
public struct SyncConnection: Sendable {
    /// The peer's URL as the operator gave it, for messages.
    public let url: String
    /// `scheme://host:port` plus any path prefix, without a trailing slash.
    let base: String
    /// The path prefix of `base` (usually empty): part of the signed path.
    let basePath: String
    let team: Store.Team
    let signer: SyncSigner
    /// The keys requests are sealed with: replaced when a roster exchange brings a new epoch.
    let keys: KeyBox
    var ring: KeyRing { keys.ring }
    /// What the requests are signed with.
    let credentials: Credentials
    /// The replica the requests are made for (`X-Qun-Replica`).
    public let replica: ReplicaID
    let http: HTTPClient
    let clock: @Sendable () -> Int64
    /// How far the peer's clock is from this laptop's, once the peer said so.
    public let clockCorrection = ClockCorrection()

    /// How long one request may take in all: a page is a few MB at most.
    public static let requestTimeout: TimeAmount = .minutes(3)
    /// A snapshot is the whole store.
    public static let snapshotTimeout: TimeAmount = .minutes(30)
    /// The largest answer accepted, raw or inflated: a pull page of `maximumPageSize`
    /// changes with long notes stays far below it.
    public static let maximumAnswerBytes = 256 * 1024 * 1024
    /// Pushed pages at least this large are gzip-compressed inside the seal.
    public static let gzipThreshold = 16 * 1024

    /// How a laptop proves who it is.
    public enum Credentials: Sendable {
        /// The team secret alone: a laptop without a key pair (tests of the open team).
        case teamSecret
        /// The laptop's own key; with `open`, the team-secret MAC too, for a peer whose roster
        /// does not know this laptop yet.
        case laptop(LaptopKey, open: Bool)
        /// An invite being redeemed: its key and id.
        case invite(key: [UInt8], id: String)
    }

    public init(
        url: String, team: Store.Team, replica: ReplicaID, http: HTTPClient,
        credentials: Credentials = .teamSecret, ring: KeyRing? = nil,
        clock: @escaping @Sendable () -> Int64 = Store.systemClock
    ) throws {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil else {
            throw SyncClientError.invalidURL(url)
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        var hostPart = components.percentEncodedHost ?? host
        if hostPart.contains(":"), !hostPart.hasPrefix("[") { hostPart = "[\(hostPart)]" }
        let port = components.port.map { ":\($0)" } ?? ""
        self.url = trimmed
        base = "\(scheme)://\(hostPart)\(port)\(path)"
        basePath = path
        self.team = team
        if case .invite(let key, _) = credentials {
            signer = SyncSigner(team: team.id.hex, key: key)
            keys = KeyBox(KeyRing(team: team, only: 0, key: key))
        } else {
            signer = SyncSigner(team: team)
            keys = KeyBox(ring ?? KeyRing(team: team))
        }
        self.credentials = credentials
        self.replica = replica
        self.http = http
        self.clock = clock
    }

    /// One signed answer, its signature checked and, for a 200, its body opened.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        /// The body as received: the opened plaintext of a 200, the clear error otherwise.
        var body: ByteBuffer
    }

    /// Sends one sealed, signed request and returns the answer once its signature checks
    /// out and, for a 200, its body opened (and inflated).
    ///
    /// - Parameter binding: what the 200 answer is bound to besides the request
    ///   (`SealContext.pullBinding`).
    /// - Throws: `SyncClientError`: `.refused` for 401, `.olderPeer` for a peer that does not
    ///   speak protocol 2, `.peerError` for any other signed non-2xx answer,
    ///   `.notOfTeam`/`.notAPeer` for an answer that fails the signature check,
    ///   `.malformedAnswer` for a 200 that does not open, transport failures mapped by
    ///   `classify(_:)`.
    func exchange(
        _ path: String, plaintext: [UInt8], binding: String? = nil, compress: Bool = false,
        timeout: TimeAmount = SyncConnection.requestTimeout, limit: Int = SyncConnection.maximumAnswerBytes,
        epoch: UInt32? = nil
    ) async throws -> Answer {
        var retried = false
        while true {
            let prepared = try sealedRequest(path, plaintext: plaintext, compress: compress, epoch: epoch)
            let response: HTTPClientResponse
            let received: ByteBuffer
            do {
                response = try await http.execute(prepared.request, timeout: timeout)
                received = try await response.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw SyncClientError.answerTooLarge(url: url, limit: limit)
            } catch {
                throw classify(error)
            }
            let status = Int(response.status.code)
            let digest = SyncSigner.digest(Array(received.readableBytesView))
            do {
                try check(status, response.headers, bodyDigest: digest, requestMAC: prepared.mac)
            } catch let stale as StaleAnswer where !retried {
                clockCorrection.adopt(peerTime: stale.serverTime, localTime: clock())
                retried = true
                continue
            } catch SyncClientError.refused(let url) {
                if let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(received.readableBytesView)),
                   body.error.contains("removed from the team") || body.error.contains("not in the team's roster") {
                    throw SyncClientError.refusedByRoster(url: url, reason: body.error)
                }
                throw SyncClientError.refused(url: url)
            }
            guard status == 200 else {
                return Answer(status: status, headers: response.headers, body: received)
            }
            let opened = try open(received.readableBytesView, path: path, requestMAC: prepared.mac, binding: binding)
            return Answer(status: status, headers: response.headers, body: ByteBuffer(bytes: opened))
        }
    }

    /// The request with the protocol's headers, its body sealed and its MAC over the sealed
    /// bytes.
    func sealedRequest(_ path: String, plaintext: [UInt8], compress: Bool, epoch: UInt32? = nil) throws -> (request: HTTPClientRequest, mac: String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        let time = String(max(0, clockCorrection.stamp(clock())))
        let signedPath = basePath + path
        var bytes = plaintext
        var flags: SealedEnvelope.Flags = []
        if compress, plaintext.count >= Self.gzipThreshold {
            var buffer = ByteBuffer(bytes: plaintext)
            bytes = Array(try buffer.compress(with: .gzip()).readableBytesView)
            flags = .gzip
        }
        let context = SealContext.request(team: team.id.hex, method: "POST", path: signedPath, replica: replica.hex, time: time)
        let sealing = epoch.flatMap { ring.sealing(with: $0) } ?? ring
        let body = try SealedEnvelope.seal(bytes, ring: sealing, purpose: .wire, context: context, flags: flags)
        let digest = SyncSigner.digest(body)
        let teamMAC = signer.requestMAC(method: "POST", path: signedPath, replica: replica.hex, time: time, bodyDigest: digest)
        let (scheme, mac): (String, String)
        switch credentials {
        case .teamSecret:
            (scheme, mac) = (SyncAPI.authorizationScheme, teamMAC)
        case .laptop(let key, let open):
            let text = signer.requestText(method: "POST", path: signedPath, replica: replica.hex, time: time, bodyDigest: digest)
            (scheme, mac) = (SyncAPI.laptopScheme, key.sign(Array(text.utf8)).hexString)
            if open { request.headers.add(name: SyncAPI.teamMACHeader, value: teamMAC) }
        case .invite(_, let id):
            (scheme, mac) = (SyncAPI.inviteScheme, teamMAC)
            request.headers.add(name: SyncAPI.inviteHeader, value: id)
        }
        request.headers.add(name: SyncAPI.teamHeader, value: team.id.hex)
        request.headers.add(name: SyncAPI.replicaHeader, value: replica.hex)
        request.headers.add(name: SyncAPI.timeHeader, value: time)
        request.headers.add(name: SyncAPI.authorizationHeader, value: "\(scheme) \(mac)")
        request.headers.add(name: "Content-Type", value: SyncAPI.sealedMediaType)
        request.body = .bytes(ByteBuffer(bytes: body))
        return (request, mac)
    }

    /// Opens a sealed 200 body (and inflates it when it was compressed).
    func open(_ body: some Collection<UInt8>, path: String, requestMAC: String, binding: String?) throws -> [UInt8] {
        let context = SealContext.response(team: team.id.hex, path: basePath + path, requestMAC: requestMAC, binding: binding)
        let opened: (plaintext: [UInt8], flags: SealedEnvelope.Flags, epoch: UInt32)
        do {
            opened = try SealedEnvelope.open(body, ring: ring, purpose: .wire, context: context)
        } catch let error as SealError {
            throw SyncClientError.malformedAnswer(url: url, reason: error.description)
        }
        guard opened.flags.contains(.gzip) else { return opened.plaintext }
        return try gunzip(ByteBuffer(bytes: opened.plaintext))
    }

    /// Accepts a signed 2xx answer; turns everything else into the error the operator needs.
    ///
    /// The signature is checked before the body is looked at, also for error answers: a
    /// forged "error" must not put words in the peer's mouth.
    func check(_ status: Int, _ headers: HTTPHeaders, bodyDigest: String, requestMAC: String) throws {
        let signature = headers.first(name: SyncAPI.signatureHeader)
        let signedHeaders = SyncSigner.signedHeaderText { headers.first(name: $0) }
        let signed = signature.map {
            SyncSigner.same($0.lowercased(), signer.responseMAC(status: status, requestMAC: requestMAC, bodyDigest: bodyDigest,
                                                                signedHeaders: signedHeaders))
        } ?? false
        if status == 401 {
            // Only a signed refusal can be trusted to carry the peer's time.
            if signed, let serverTime = headers.first(name: SyncAPI.serverTimeHeader).flatMap({ Int64($0) }) {
                if clockCorrection.adopted == nil { throw StaleAnswer(serverTime: serverTime) }
                throw SyncClientError.clockRefused(url: url, differenceMilliseconds: serverTime - clock())
            }
            throw SyncClientError.refused(url: url)
        }
        guard signature != nil else { throw SyncClientError.notAPeer(url: url, status: status) }
        guard signed else { throw SyncClientError.notOfTeam(url: url) }
        // A peer of protocol 1 knows no /v2 path: it authenticated the request (same MAC) and
        // answered a signed 404.
        if status == 404 { throw SyncClientError.olderPeer(url: url) }
    }

    /// The error of a signed non-2xx answer: the server's one-sentence `ErrorBody`.
    func failure(_ answer: Answer) -> SyncClientError {
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: Data(answer.body.readableBytesView)))?.error
        return .peerError(url: url, status: answer.status, message: message ?? "no explanation given")
    }

    /// Maps transport failures to what the operator can act on.
    func classify(_ error: any Error) -> any Error {
        switch error {
        case let error as SyncClientError:
            return error
        case is CancellationError:
            return error
        case let error as NIOSSLError:
            if case .handshakeFailed = error { return SyncClientError.tlsRefused(url: url) }
            return SyncClientError.connectionLost(url: url, reason: "\(error)")
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return SyncClientError.unreachable(url: url)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return SyncClientError.timedOut(url: url)
            case .cancelled:
                return CancellationError()
            case .invalidURL, .emptyHost, .emptyScheme:
                return SyncClientError.invalidURL(url)
            default:
                return SyncClientError.connectionLost(url: url, reason: "\(error)")
            }
        case is NIOConnectionError:
            // Every address of the host refused or could not be resolved.
            return SyncClientError.unreachable(url: url)
        case let error as ChannelError:
            if case .connectTimeout = error { return SyncClientError.unreachable(url: url) }
            return SyncClientError.connectionLost(url: url, reason: "\(error)")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ETIMEDOUT, EADDRNOTAVAIL:
                return SyncClientError.unreachable(url: url)
            default:
                return SyncClientError.connectionLost(url: url, reason: error.description)
            }
        default:
            return SyncClientError.connectionLost(url: url, reason: "\(error)")
        }
    }
}

/// The key ring of a connection, replaceable while it is used: the roster exchange that
/// starts a sync may bring the key of a new epoch.
final class KeyBox: @unchecked Sendable {
    // Safe to send: the mutable state below is only touched while `lock` is held.
    private let lock = NSLock()
    private var current: KeyRing

    init(_ ring: KeyRing) { current = ring }

    var ring: KeyRing {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
