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

    // Every bind checks SQLite's answer: a bad index (an argument the SQL does not have) or
    // text/blob too big for SQLite would otherwise leave the previous value bound, and the
    // statement would write another row's data without a word. A comparison per bind is all
    // it costs on the hot path.

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value), index)
    }

    func bind(_ index: Int32, _ value: Bool) throws {
        try check(sqlite3_bind_int64(handle, index, value ? 1 : 0), index)
    }

    func bind(_ index: Int32, _ text: String) throws {
        var text = text
        let code = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    return sqlite3_bind_text(handle, index, base, Int32(chars.count), FastStatement.transient)
                } else {
                    // A null pointer would bind NULL, not the empty string.
                    return sqlite3_bind_text(handle, index, "", 0, FastStatement.transient)
                }
            }
        }
        try check(code, index)
    }

    func bind(_ index: Int32, text: String?) throws {
        if let text { try bind(index, text) } else { try check(sqlite3_bind_null(handle, index), index) }
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) throws {
        let code = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), FastStatement.transient)
        }
        try check(code, index)
    }

    func bind(_ index: Int32, _ value: Value) throws {
        switch value {
        case .null: try check(sqlite3_bind_null(handle, index), index)
        case .int(let number): try check(sqlite3_bind_int64(handle, index, number), index)
        case .real(let number): try check(sqlite3_bind_double(handle, index, number), index)
        case .text(let text): try bind(index, text)
        }
    }

    /// Throws unless SQLite accepted argument `index`; the error names the SQL and the
    /// argument (never its value, which may be a member's data).
    @inline(__always)
    private func check(_ code: Int32, _ index: Int32) throws {
        guard code == SQLITE_OK else { throw bindError(code, index) }
    }

    private func bindError(_ code: Int32, _ index: Int32) -> DatabaseError {
        let reason = String(cString: sqlite3_errstr(code))
        return DatabaseError(resultCode: ResultCode(rawValue: code),
                             message: "cannot bind argument \(index) of \(sqlite3_bind_parameter_count(handle)): \(reason)",
                             sql: statement.sql)
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
