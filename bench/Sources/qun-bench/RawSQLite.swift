import Foundation
import GRDBSQLite

/// The floor: SQLite's C API, one prepared statement per table reused for every row, one
/// transaction, the same pragmas as a qun store (WAL, synchronous=NORMAL).
final class RawSQLite {
    private var db: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("cannot open \(path)") }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA cache_size = -65536")
    }

    deinit { sqlite3_close(db) }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "?"
            sqlite3_free(message)
            throw BenchError("\(text) in \(sql.prefix(80))")
        }
    }

    /// Inserts `rows` into `table` (all columns, in order) with one reused statement.
    func insert(into table: String, columns: Int, rows: [[RawValue]]) throws {
        let placeholders = Array(repeating: "?", count: columns).joined(separator: ", ")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO \(table) VALUES (\(placeholders))", -1, &statement, nil) == SQLITE_OK else {
            throw BenchError(String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for row in rows {
            for (index, value) in row.enumerated() {
                let position = Int32(index + 1)
                switch value {
                case .null: sqlite3_bind_null(statement, position)
                case .int(let number): sqlite3_bind_int64(statement, position, number)
                case .real(let number): sqlite3_bind_double(statement, position, number)
                case .text(let text): sqlite3_bind_text(statement, position, text, -1, transient)
                case .blob(let bytes):
                    bytes.withUnsafeBytes { buffer in
                        _ = sqlite3_bind_blob(statement, position, buffer.baseAddress, Int32(buffer.count), transient)
                    }
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(statement)
        }
    }

    /// Every row of a table, for replaying "the same rows".
    func rows(of table: String) throws -> (columns: Int, rows: [[RawValue]]) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT * FROM \(table)", -1, &statement, nil) == SQLITE_OK else {
            throw BenchError(String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        let columns = Int(sqlite3_column_count(statement))
        var rows: [[RawValue]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            rows.append((0..<Int32(columns)).map { index in
                switch sqlite3_column_type(statement, index) {
                case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, index))
                case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
                case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, index))
                    let pointer = sqlite3_column_blob(statement, index)!
                    return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
                default: return .null
                }
            })
        }
        return (columns, rows)
    }
}

enum RawValue {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
