import Foundation
import GRDB
import GRDBSQLite
import QunCore

/// A prepared GRDB statement driven through SQLite's C API, for the apply path's hot
/// inserts. Binding `StatementArguments` boxes every value in an existential; at hundreds of
/// thousands of rows per batch that costs more than SQLite's own work.
///
/// Use only inside a transaction GRDB opened, and only for INSERT/UPDATE/SELECT of single
/// values: GRDB does not see these executions.
struct FastStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)


    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(handle, index, base, Int32(chars.count), FastStatement.transient)
                } else {
                    // A null pointer would bind NULL, not the empty string.
                    _ = sqlite3_bind_text(handle, index, "", 0, FastStatement.transient)
                }
            }
        }
    }

    func bind(_ index: Int32, text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), FastStatement.transient)
        }
    }

    func bind(_ index: Int32, _ value: Value) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .int(let number): sqlite3_bind_int64(handle, index, number)
        case .real(let number): sqlite3_bind_double(handle, index, number)
        case .text(let text): bind(index, text)
        }
    }

    /// Runs an INSERT/UPDATE; returns the number of rows it changed.
    @discardableResult
    func run(_ db: Database) throws -> Int {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE else { throw error(db, code) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// Runs a query whose first row's first column is an integer; nil when there is no row.
    func int64(_ db: Database) throws -> Int64? {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        switch code {
        case SQLITE_ROW: return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        default: throw error(db, code)
        }
    }

    private func error(_ db: Database, _ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code),
                      message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }
}
