import QunCore
import QunStore

/// The `import members --json` report. Keys are stable; see the README.
///
/// `{file, dry_run, rejected, rows, good, bad, imported, columns: [{column, field}],
/// problems: [{line, reason}], members: [{line, name, id, number}], same_name: [line]}` —
/// `field` is null for an ignored column, `id` and `number` are null in a dry run, `members`
/// is empty when the import was rejected; `same_name` lists rows named like a live member
/// already in the store (imported as new members all the same).
enum ImportReportJSON {
    static func object(_ report: MemberImportReport, file: String) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        let columns: [JSON] = report.columns.map { entry in
            let field: String? = entry.column == .ignored ? nil : entry.column.fieldName
            return .object([("column", .string(entry.name)), ("field", text(field))])
        }
        let problems: [JSON] = report.problems.map { problem in
            .object([("line", .int(Int64(problem.line))), ("reason", .string(problem.reason))])
        }
        let members: [JSON] = report.members.map { member in
            .object([
                ("id", text(member.id)), ("line", .int(Int64(member.line))),
                ("name", .string(member.name)), ("number", text(member.number)),
            ])
        }
        return .object([
            ("bad", .int(Int64(report.problems.count))),
            ("columns", .array(columns)),
            ("dry_run", .bool(report.dryRun)),
            ("file", .string(file)),
            ("good", .int(Int64(report.good))),
            ("imported", .int(Int64(report.imported))),
            ("members", .array(members)),
            ("problems", .array(problems)),
            ("rejected", .bool(report.rejected)),
            ("rows", .int(Int64(report.rows))),
            ("same_name", .array(report.sameName.map { .int(Int64($0)) })),
        ])
    }
}
