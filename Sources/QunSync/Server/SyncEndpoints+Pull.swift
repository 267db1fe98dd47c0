import Foundation
import Hummingbird
import NIOCore
import QunCore
import QunStore

extension SyncEndpoints {
    /// `POST /v2/pull`: one page of the changes a holder of the request's vector lacks.
    ///
    /// The request is a `PullRequest`. The answer is a frame (`SealedFrame`): a
    /// `PullPageHead` (the server's vector, whether more pages follow, the cursor to continue
    /// after) and the change batch (QCB1), sealed for this request and bound to the cursor the
    /// page continues after, gzip-compressed inside the seal when large.
    func pull(_ request: Request, context: SyncRequestContext) async throws -> Response {
        let query = try PullQuery(context.plaintext)
        let frame = try await withStore { store in
            // The vector first: every change it covers is in this page or a later one.
            let vector = try store.versionVector()
            // Whole commit blocks, so that the page verifies on its own; then whether another
            // page follows.
            let changes = try store.changes(since: query.vector, after: query.after, limit: query.limit, wholeBlocks: true,
                                              maximumBytes: SyncAPI.pageBytes)
            let more = try changes.last.map { last in
                !(try store.changes(since: query.vector, after: last.id, limit: 1).isEmpty)
            } ?? false
            let head = PullPageHead(vector: vector.description, more: more, next: changes.last?.id.description)
            return try SealedFrame.encode(head: head, batch: ChangeBatch.encode(changes))
        }
        return try context.sealer().response(frame, binding: SealContext.pullBinding(after: query.after?.description))
    }
}

/// A checked `PullRequest`.
private struct PullQuery: Sendable {
    var vector: VersionVector
    var after: ChangeID?
    var limit: Int

    init(_ body: [UInt8]) throws {
        let request: PullRequest
        do {
            request = try JSONDecoder().decode(PullRequest.self, from: Data(body))
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
                throw SyncError.badRequest("the pull request's cursor 'after' ('\(cursor.prefix(80))') is not of the form HEX:SEQ: pass the next cursor of the previous page")
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
