import Foundation
import Hummingbird
import NIOCore
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v1/push`: applies one page of changes in one transaction, all of it or none.
    ///
    /// The body is a change batch (QCB1), possibly gzip-encoded (`Content-Encoding: gzip`;
    /// the inflated size counts against the body limit). `X-Qun-Vector`, when present and
    /// well-formed, tells what the pushing replica holds, for `status` and `bundle export
    /// --for`.
    func push(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let gzip: Bool
        switch request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity": gzip = false
        case "gzip", "x-gzip": gzip = true
        case let encoding?:
            throw SyncError.badRequest("unsupported Content-Encoding '\(encoding.prefix(40))': send the change batch as is or gzip-encoded")
        }
        let peer = context.peer
        let peerVector = request.headers[.qunVector].flatMap(VersionVector.init(parsing:))
        let response = try await withStore { store in
            let bytes = gzip
                ? try Gzip.decompress(body, limit: SyncAPI.maximumBodyBytes)
                : body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []
            let changes = try ChangeBatch.decode(bytes)
            let report = try store.apply(changes)
            if let peer, let peerVector {
                try store.recordPeerKnowledge(peer, vector: peerVector)
            }
            return PushResponse(
                received: report.received, applied: report.applied, duplicates: report.duplicates,
                held: report.held, heldAheadMilliseconds: report.heldAhead.values.max() ?? 0,
                vector: try store.versionVector().description)
        }
        return try .json(response)
    }
}
