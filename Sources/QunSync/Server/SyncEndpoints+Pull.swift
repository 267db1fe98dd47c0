import Foundation
import Hummingbird
import NIOCore
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v1/pull`: one page of the changes a holder of the request's vector lacks.
    ///
    /// The body is a `PullRequest`. The answer is a change batch (QCB1), gzip-encoded when the
    /// client accepts gzip, with the server's vector (`X-Qun-Vector`), whether more pages
    /// follow (`X-Qun-More`) and the cursor to continue after (`X-Qun-Next`, absent for an
    /// empty page).
    func pull(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let query = try PullQuery(try await request.body.collect(upTo: context.maxUploadSize))
        let gzip = request.headers.lists("gzip", in: .acceptEncoding)
        let page = try await withStore { store in
            // The vector first: every change it covers is in this page or a later one.
            let vector = try store.versionVector()
            // One more than asked for tells whether another page follows.
            var changes = try store.changes(since: query.vector, after: query.after, limit: query.limit + 1)
            let more = changes.count > query.limit
            if more { changes.removeLast(changes.count - query.limit) }
            let batch = ChangeBatch.encode(changes)
            return PullPage(
                vector: vector, more: more, next: changes.last?.id,
                body: gzip ? try Gzip.compress(batch) : ByteBuffer(bytes: batch))
        }
        var headers: HTTPFields = [
            .contentType: SyncAPI.batchMediaType,
            .qunVector: page.vector.description,
            .qunMore: page.more ? "true" : "false",
        ]
        if let next = page.next { headers[.qunNext] = "\(next.replica.hex):\(next.seq)" }
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: page.body))
    }
}

/// A checked `PullRequest`.
private struct PullQuery: Sendable {
    var vector: VersionVector
    var after: ChangeID?
    var limit: Int

    init(_ body: ByteBuffer) throws {
        let request: PullRequest
        do {
            request = try JSONDecoder().decode(PullRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw SyncError.badRequest(
                #"the pull request is not valid JSON of the form {"vector": "HEX:SEQ,...", "after": "HEX:SEQ", "limit": N}"#)
        }
        guard let vector = VersionVector(parsing: request.vector) else {
            throw SyncError.badRequest("the pull request's vector '\(request.vector.prefix(80))' is not of the form HEX:SEQ,HEX:SEQ (32 hex digits, a colon, a number)")
        }
        var after: ChangeID?
        if let cursor = request.after {
            guard let parsed = ChangeID(cursor: cursor) else {
                throw SyncError.badRequest("the pull request's cursor 'after' ('\(cursor.prefix(80))') is not of the form HEX:SEQ: pass the X-Qun-Next header of the previous page")
            }
            after = parsed
        }
        let limit = request.limit ?? SyncAPI.defaultPageSize
        guard (1...SyncAPI.maximumPageSize).contains(limit) else {
            throw SyncError.badRequest("the pull request's limit \(limit) is out of range: ask for 1 to \(SyncAPI.maximumPageSize) changes per page")
        }
        self.vector = vector
        self.after = after
        self.limit = limit
    }
}

/// What a pull answers, computed off the event loop.
private struct PullPage: Sendable {
    var vector: VersionVector
    var more: Bool
    var next: ChangeID?
    var body: ByteBuffer
}
