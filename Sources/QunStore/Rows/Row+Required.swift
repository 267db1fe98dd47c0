import GRDB

extension Row {
    /// The value of `column`, which the row must have: a missing column, NULL or a value of
    /// another type (a 15-byte replica id, text where a number belongs) is a damaged row of
    /// `table` (`StoreError.corruptRow`), never a crash.
    ///
    /// GRDB's own subscript stops the process on a value it cannot convert; data read from
    /// disk must not.
    func required<Value: DatabaseValueConvertible>(_ column: String, of table: String, as type: Value.Type = Value.self) throws -> Value {
        guard let stored: DatabaseValue = self[column], !stored.isNull else {
            throw StoreError.corruptRow(table: table, detail: "\(column) is missing")
        }
        guard let value = Value.fromDatabaseValue(stored) else {
            throw StoreError.corruptRow(table: table, detail: "\(column) is not a valid \(Value.self) (\(Row.describe(stored)))")
        }
        return value
    }

    /// The value at `index`, which the row must have (see `required(_:of:as:)`).
    func required<Value: DatabaseValueConvertible>(_ index: Int, of table: String, as type: Value.Type = Value.self) throws -> Value {
        guard index < count else { throw StoreError.corruptRow(table: table, detail: "column \(index) is missing") }
        let stored: DatabaseValue = self[index]
        guard !stored.isNull else { throw StoreError.corruptRow(table: table, detail: "column \(columnNames[columnNames.index(columnNames.startIndex, offsetBy: index)]) is NULL") }
        guard let value = Value.fromDatabaseValue(stored) else {
            let name = columnNames[columnNames.index(columnNames.startIndex, offsetBy: index)]
            throw StoreError.corruptRow(table: table, detail: "\(name) is not a valid \(Value.self) (\(Row.describe(stored)))")
        }
        return value
    }

    /// What a stored value is, without its content (which may be a member's data).
    private static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64: return "an integer"
        case .double: return "a real number"
        case .string: return "text"
        case .blob(let data): return "a blob of \(data.count) bytes"
        }
    }
}
