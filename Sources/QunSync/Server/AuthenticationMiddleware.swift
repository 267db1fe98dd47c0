import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QunCore

/// Lets through only requests signed with the team secret, and signs every answer.
///
/// A request must carry `X-Qun-Team` (this store's team), `X-Qun-Replica` (32 hex),
/// `X-Qun-Time` (digits) and `Authorization: Qun-HMAC-SHA256 <mac>`, where `mac` is
/// `SyncSigner.requestMAC` over the method, the path (without query), those headers and the
/// SHA-256 of the body exactly as received (before any decompression). Anything else is a
/// 401 whose body says what to do and nothing about the store: a stranger on the network
/// learns neither records nor which routes exist.
///
/// The body is read here, up to `SyncAPI.maximumBodyBytes` (413 beyond), because the MAC
/// covers it; handlers then find it collected on the request.
///
/// Every answer to an authenticated request, including 4xx from the handlers and 500,
/// carries `X-Qun-Signature` = `SyncSigner.responseMAC(status, request MAC, SHA-256 of the
/// body as sent)`, so the client accepts only answers from its team, bound to its question.
/// The 401 itself is not signed: there is no valid request MAC to bind it to.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    let signer: SyncSigner
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw SyncError.bodyTooLarge
        }
        let (peer, requestMAC) = try authenticate(request, body: body)
        var context = context
        context.peer = peer

        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try SyncError.answer(for: error, logger: logger).response(from: request, context: context)
        }
        return try await sign(response, requestMAC: requestMAC)
    }

    /// Checks the request's headers and MAC; returns the requesting replica and the MAC.
    private func authenticate(_ request: Request, body: ByteBuffer) throws -> (ReplicaID, String) {
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
              (1...16).contains(time.utf8.count), time.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw refuse("malformed \(SyncAPI.replicaHeader) or \(SyncAPI.timeHeader) header: upgrade qun on the requesting laptop", request)
        }
        let prefix = SyncAPI.authorizationScheme + " "
        let given = authorization.hasPrefix(prefix) ? String(authorization.dropFirst(prefix.count)) : ""
        let expected = signer.requestMAC(
            method: request.method.rawValue, path: request.uri.path, replica: replicaText, time: time,
            bodyDigest: SyncSigner.digest(Array(body.readableBytesView)))
        guard SyncSigner.same(given, expected) else {
            throw refuse("wrong signature: the request was not made with this team's secret, or it was altered on the way; nothing was done",
                         request)
        }
        return (replica, expected)
    }

    private func refuse(_ message: String, _ request: Request) -> SyncError {
        logger.info("refused an unauthenticated request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
        return .unauthorized(message)
    }

    /// Adds `X-Qun-Signature`. The body is collected to hash it; sync answers are bounded
    /// (a page, a vector, a snapshot), and are written as one buffer anyway.
    private func sign(_ response: Response, requestMAC: String) async throws -> Response {
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers = response.headers
        let signedHeaders = SyncSigner.signedHeaderText { name in
            HTTPField.Name(name).flatMap { headers[$0] }
        }
        headers[.qunSignature] = signer.responseMAC(
            status: response.status.code, requestMAC: requestMAC,
            bodyDigest: SyncSigner.digest(Array(collector.buffer.readableBytesView)), signedHeaders: signedHeaders)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: collector.buffer))
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
