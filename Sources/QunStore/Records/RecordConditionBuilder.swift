import GRDB

/// Builds the condition of a list filter one requirement at a time, with the requirements
/// every kind's filters share written once: not deleted, tags, words.
struct RecordConditionBuilder {
    var parts: [String] = []
    var arguments = StatementArguments()

    /// Starts with "not deleted" unless deleted records are asked for.
    init(includeDeleted: Bool) {
        if !includeDeleted { parts.append("deleted = 0") }
    }

    mutating func require(_ sql: String, _ values: StatementArguments = []) {
        parts.append(sql)
        arguments += values
    }

    /// `column = value` for each value given; nil means any.
    mutating func equal(_ pairs: [(column: String, value: String?)]) {
        for (column, value) in pairs {
            guard let value else { continue }
            require("\(column) = ?", [value])
        }
    }

    /// Has every tag of `with` and none of `without`; `column` holds a JSON array of tags.
    mutating func tags(in column: String, with: [String], without: [String]) {
        for tag in with { require("EXISTS (SELECT 1 FROM json_each(\(column)) WHERE value = ?)", [tag]) }
        for tag in without { require("NOT EXISTS (SELECT 1 FROM json_each(\(column)) WHERE value = ?)", [tag]) }
    }

    /// Each word appears in one of `columns` (case-insensitive for Latin).
    mutating func words(_ words: [String], in columns: [String]) {
        for word in words {
            let any = columns.map { "instr(lower(coalesce(\($0), '')), lower(?)) > 0" }.joined(separator: " OR ")
            require("(\(any))", StatementArguments(columns.map { _ in word }))
        }
    }

    var condition: RecordCondition { RecordCondition(parts, arguments) }
}
