import GRDB
import QunCore
@testable import QunStore
import XCTest

/// The hot path's statements refuse a bind SQLite did not take, rather than run with the
/// previous row's value still bound.
final class FastStatementTests: XCTestCase {
    func testABindSQLiteRefusesThrowsNamingTheSQLAndTheArgument() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(a, b)")
            let insert = try FastStatement(db, sql: "INSERT INTO t(a, b) VALUES (?, ?)")
            try insert.bind(1, Int64(1))
            try insert.bind(2, "x")
            XCTAssertEqual(try insert.run(db), 1)
            for bind in [{ try insert.bind(3, Int64(7)) }, { try insert.bind(0, "y") }, { try insert.bind(3, blob: [1]) },
                         { try insert.bind(3, Value.null) }, { try insert.bind(3, text: nil) }, { try insert.bind(3, true) }] {
                XCTAssertThrowsError(try bind()) { error in
                    guard let error = error as? DatabaseError else { return XCTFail("expected a DatabaseError, got \(error)") }
                    XCTAssertEqual(error.resultCode, .SQLITE_RANGE)
                    XCTAssertEqual(error.sql, "INSERT INTO t(a, b) VALUES (?, ?)")
                    XCTAssertTrue(error.message?.contains("cannot bind argument") == true, "\(error)")
                }
            }
        }
    }
}
