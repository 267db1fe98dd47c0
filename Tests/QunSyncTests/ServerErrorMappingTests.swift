import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import QunCore
import QunStore
@testable import QunSync
import XCTest

/// The one place that turns failures into statuses (`SyncError.answer(for:logger:)`).
final class ServerErrorMappingTests: XCTestCase {
    private struct Surprise: Error, CustomStringConvertible {
        var description: String { "disk full while writing 王秘密 13800138000" }
    }

    private func answer(_ error: any Error) -> (status: Int, message: String?) {
        let answer = SyncError.answer(for: error, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (answer.status.code, (answer as? SyncError)?.message)
    }

    func testStatusesAreDeliberate() {
        XCTAssertEqual(answer(StoreError.replicaClash(replica: String(repeating: "a", count: 32), seq: 3)).status, 409)
        XCTAssertEqual(answer(StoreError.invalidChange("its value is NaN")).status, 400)
        XCTAssertEqual(answer(QunCore.DecodingError.truncated(offset: 9)).status, 400)
        XCTAssertTrue(answer(QunCore.DecodingError.truncated(offset: 9)).message?.hasPrefix("malformed change batch: ") ?? false)
        XCTAssertEqual(answer(NIOTooManyBytesError(maxBytes: SyncAPI.maximumBodyBytes)).status, 413)
        XCTAssertEqual(answer(SyncError.badRequest("x")).status, 400)
        XCTAssertEqual(answer(HTTPError(.notFound)).status, 404)
    }

    func testAStoreTheDiskWillNotWriteIsA503InWords() {
        let full = DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full", sql: "INSERT INTO change VALUES (?)")
        let (status, message) = answer(full)
        XCTAssertEqual(status, 503)
        XCTAssertTrue(message?.contains("the disk is full") ?? false, message ?? "")
        XCTAssertFalse(message?.contains("INSERT") ?? true)
        XCTAssertEqual(answer(DatabaseError(resultCode: .SQLITE_READONLY)).status, 503)
        XCTAssertEqual(answer(DatabaseError(resultCode: .SQLITE_CONSTRAINT)).status, 500, "not a storage fault: a bug")
    }

    func testAnythingElseIsA500ThatSaysNothingOfTheFailure() {
        for error: any Error in [Surprise(), StoreError.noTeam, StoreError.notFound(collection: "member", reference: "王秘密")] {
            let (status, message) = answer(error)
            XCTAssertEqual(status, 500, "\(error)")
            XCTAssertEqual(message, SyncError.internalError.message)
            XCTAssertFalse(message?.contains("王秘密") ?? true)
            XCTAssertFalse(message?.contains("13800138000") ?? true)
        }
    }
}
