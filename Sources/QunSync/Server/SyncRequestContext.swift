import Foundation
import Hummingbird
import NIOCore
import QunCore
import QunStore

/// What the sync server knows about one request while it is handled.
///
/// `maxUploadSize` is the protocol's body limit, not Hummingbird's 2 MiB default: a page of
/// a few thousand changes is well under it, anything bigger is refused with 413 before it is
/// read further. `peer`, `plaintext` and `answer` are set by `AuthenticationMiddleware` once
/// the request's signature, freshness and seal check out; handlers may rely on them.
struct SyncRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The authenticated requesting replica (`X-Qun-Replica`).
    var peer: ReplicaID?
    /// The requester's role in the roster; nil for a laptop of an open team the roster does
    /// not know yet (it may write, as in releases before the roster).
    var role: TeamRole?
    /// The opened (and inflated) request body.
    var plaintext: [UInt8] = []
    /// Seals this request's 200 answer.
    var answer: AnswerSealer?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = nil
    }

    var maxUploadSize: Int { SyncAPI.maximumBodyBytes }

    /// The sealer of this request's answer; a handler only runs behind the middleware.
    func sealer() throws -> AnswerSealer {
        guard let answer else { throw SyncError.internalError }
        return answer
    }
}

/// Seals the 200 answer to one authenticated request: bound to that request's MAC and path
/// (`SealContext.response`), under the epoch the request was sealed with.
struct AnswerSealer: Sendable {
    let ring: KeyRing
    let path: String
    let requestMAC: String

    /// Plaintexts at least this large are gzip-compressed before sealing.
    static let gzipThreshold = 16 * 1024

    func response(_ plaintext: [UInt8], binding: String? = nil, compress: Bool = true) throws -> Response {
        var bytes = plaintext
        var flags: SealedEnvelope.Flags = []
        if compress, plaintext.count >= Self.gzipThreshold {
            bytes = Array(try Gzip.compress(plaintext).readableBytesView)
            flags = .gzip
        }
        let context = SealContext.response(team: ring.team.id.hex, path: path, requestMAC: requestMAC, binding: binding)
        let sealed = try SealedEnvelope.seal(bytes, ring: ring, purpose: .wire, context: context, flags: flags)
        return Response(status: .ok, headers: [.contentType: SyncAPI.sealedMediaType], body: .init(byteBuffer: ByteBuffer(bytes: sealed)))
    }

    func json(_ value: some Encodable, binding: String? = nil) throws -> Response {
        try response(Array(try JSONEncoder().encode(value)), binding: binding)
    }
}
