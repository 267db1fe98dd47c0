import Foundation
import Hummingbird
import Logging
import NIOCore
import QunCore
import QunStore

/// Every refusal of the sync server: a deliberate status and one sentence for the operator
/// on the other laptop, sent as `ErrorBody` JSON.
///
/// Messages name what was wrong with the request and what to do next; they never carry
/// record data (names, phone numbers, WeChat ids), because they end up in terminals, logs and
/// bug reports. Anything the server did not expect is a 500 with a generic message, and the
/// detail goes to the server's log: a bug, not a protocol answer.
struct SyncError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { "\(status.code) \(message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: SyncAPI.jsonMediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(ErrorBody(error: message)))))
    }
}

extension SyncError {
    static func unauthorized(_ message: String) -> SyncError { SyncError(.unauthorized, message) }

    static func badRequest(_ message: String) -> SyncError { SyncError(.badRequest, message) }

    static let bodyTooLarge = SyncError(
        .contentTooLarge,
        "the request body is larger than \(SyncAPI.maximumBodyBytes) bytes (after decompression): send smaller pages; nothing was applied")

    /// Too many request bodies being read at once (`BodyBudget`).
    static let busy = SyncError(
        .serviceUnavailable,
        "this laptop is receiving too many pages at once: try again in a minute; nothing was done")

    /// The store was deleted or replaced under the running server (`StoreWatch`).
    static let storeGone = SyncError(
        .serviceUnavailable,
        "the store this laptop serves was deleted or moved while `qun serve` ran: nothing was done; ask whoever runs it to start `qun serve` again")

    /// A protocol-1 request (clear bodies) from an older qun.
    static let clearProtocol = SyncError(
        .upgradeRequired,
        "this laptop syncs sealed (sync protocol 2) and no longer answers the clear-text protocol 1: upgrade qun on the laptop that made this request (`qun sync` there then works again); nothing was sent")

    static let internalError = SyncError(
        .internalServerError,
        "the server could not handle this request (the details are in its log); try again, and if it persists, tell whoever runs `qun serve`")
}

extension SyncError {
    /// The one place that decides which status a failure becomes.
    ///
    /// - `SyncError` and Hummingbird's own `HTTPResponseError`s (404) keep their status.
    /// - The store's refusals of a pushed page: a replica-id clash is 409, an invalid change 400.
    /// - A change batch that does not decode is 400, a body over the limit 413.
    /// - A store the disk will not let it write (full, read-only, failing) is 503, in words.
    /// - Anything else is 500, logged with its detail.
    static func answer(for error: any Error, logger: Logger) -> any HTTPResponseError {
        switch error {
        case let error as SyncError:
            return error
        case let error as StoreError:
            switch error {
            case .replicaClash:
                return SyncError(.conflict, error.description)
            case .invalidChange:
                return SyncError(.badRequest, error.description)
            default:
                return unexpected(error, logger: logger)
            }
        case let error as QunCore.DecodingError:
            return SyncError(.badRequest, "malformed change batch: \(error); nothing was applied")
        case let error as SealError:
            return SyncError(.badRequest, "\(error); nothing was done")
        case is NIOTooManyBytesError:
            return SyncError.bodyTooLarge
        case let error where StorageFault.describe(error) != nil:
            // The disk, not the request: the client may try again once the server's
            // operator has seen to it (the sentence names no data).
            logger.error("the store could not be used", metadata: ["error": "\(error)"])
            return SyncError(.serviceUnavailable, "the laptop serving sync cannot use its store: \(StorageFault.describe(error)!)")
        case let error as any HTTPResponseError:
            return error
        default:
            return unexpected(error, logger: logger)
        }
    }

    private static func unexpected(_ error: any Error, logger: Logger) -> SyncError {
        // Store and SQLite errors describe what failed, not the bound values: no member data.
        logger.error("sync request failed", metadata: ["error": "\(String(reflecting: type(of: error))): \(error)"])
        return .internalError
    }
}
