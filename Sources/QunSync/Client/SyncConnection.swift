import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import QunCore
import QunStore

/// The signed HTTP transport to one peer: builds every request the way `SyncAPI` says and
/// trusts no answer before its signature checks out.
///
/// Every request carries `X-Qun-Team`, `X-Qun-Replica`, `X-Qun-Time` and
/// `Authorization: Qun-HMAC-SHA256 <mac>`, the MAC made over the exact body bytes sent (after
/// compression). Every answer but a 401 must carry `X-Qun-Signature`, the response MAC bound
/// to this request's MAC and to the body bytes as received (before decompression); an answer
/// that fails the check is dropped whole, so a stranger on the network can neither feed
/// changes in nor pass itself off as a teammate. (A 401 cannot be signed: the server found no
/// valid request MAC to bind it to. It only ever stops a sync, never feeds it.)
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
    /// The replica the requests are made for (`X-Qun-Replica`).
    public let replica: ReplicaID
    let http: HTTPClient
    let clock: @Sendable () -> Int64

    /// How long one request may take in all: a page is a few MB at most.
    public static let requestTimeout: TimeAmount = .minutes(3)
    /// A snapshot is the whole store.
    public static let snapshotTimeout: TimeAmount = .minutes(30)
    /// The largest answer accepted, raw or inflated: a pull page of `maximumPageSize`
    /// changes with long notes stays far below it.
    public static let maximumAnswerBytes = 256 * 1024 * 1024
    /// Pushed batches at least this large are sent gzip-encoded.
    public static let gzipThreshold = 16 * 1024

    public init(
        url: String, team: Store.Team, replica: ReplicaID, http: HTTPClient,
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
        signer = SyncSigner(team: team)
        self.replica = replica
        self.http = http
        self.clock = clock
    }

    /// One signed answer, its signature already checked.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Sends one signed request and returns the answer once its signature checks out.
    ///
    /// - Throws: `SyncClientError`: `.refused` for 401, `.peerError` for any other signed
    ///   non-2xx answer, `.notOfTeam`/`.notAPeer` for an answer that fails the signature
    ///   check, transport failures mapped by `classify(_:)`.
    func exchange(
        _ method: HTTPMethod, _ path: String, body: [UInt8] = [], headers extra: [(String, String)] = [],
        timeout: TimeAmount = SyncConnection.requestTimeout, limit: Int = SyncConnection.maximumAnswerBytes
    ) async throws -> Answer {
        let (request, mac) = signedRequest(method, path, body: body, headers: extra)
        let response: HTTPClientResponse
        let received: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            received = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw SyncClientError.answerTooLarge(url: url, limit: limit)
        } catch {
            throw classify(error)
        }
        let answer = Answer(status: Int(response.status.code), headers: response.headers, body: received)
        try check(answer.status, answer.headers, bodyDigest: SyncSigner.digest(Array(received.readableBytesView)), requestMAC: mac)
        return answer
    }

    /// The request with the protocol's headers and its MAC over `body`.
    func signedRequest(
        _ method: HTTPMethod, _ path: String, body: [UInt8], headers extra: [(String, String)]
    ) -> (HTTPClientRequest, String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        let time = String(max(0, clock()))
        let mac = signer.requestMAC(
            method: method.rawValue, path: basePath + path, replica: replica.hex, time: time,
            bodyDigest: SyncSigner.digest(body))
        request.headers.add(name: SyncAPI.teamHeader, value: team.id.hex)
        request.headers.add(name: SyncAPI.replicaHeader, value: replica.hex)
        request.headers.add(name: SyncAPI.timeHeader, value: time)
        request.headers.add(name: SyncAPI.authorizationHeader, value: "\(SyncAPI.authorizationScheme) \(mac)")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if method == .POST || !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return (request, mac)
    }

    /// Accepts a signed 2xx answer; turns everything else into the error the operator needs.
    ///
    /// The signature is checked before the body is looked at, also for error answers: a
    /// forged "error" must not put words in the peer's mouth.
    func check(_ status: Int, _ headers: HTTPHeaders, bodyDigest: String, requestMAC: String) throws {
        if status == 401 { throw SyncClientError.refused(url: url) }
        guard let signature = headers.first(name: SyncAPI.signatureHeader) else {
            throw SyncClientError.notAPeer(url: url, status: status)
        }
        let signedHeaders = SyncSigner.signedHeaderText { headers.first(name: $0) }
        let expected = signer.responseMAC(status: status, requestMAC: requestMAC, bodyDigest: bodyDigest,
                                          signedHeaders: signedHeaders)
        guard SyncSigner.same(signature.lowercased(), expected) else {
            throw SyncClientError.notOfTeam(url: url)
        }
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
