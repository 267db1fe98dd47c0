/// Why a whole file cannot be imported, before any row is looked at. Row-level problems
/// (a bad role on line 7) are not errors but entries of `MemberImportReport.problems`, so
/// that one run can list all of them.
///
/// Messages name lines, columns and byte offsets, never cell values: a cell may hold a
/// phone number or a WeChat id.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// Spreadsheet programs on Chinese systems often save CSV as GBK; UTF-16 files have a
    /// byte order mark of their own.
    case notUTF8(offset: Int, line: Int)
    case utf16
    /// A quoted field that never closes swallows the rest of the file: refuse it rather than
    /// import one giant cell.
    case unterminatedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case empty
    case headerOnly
    case unknownColumns([String])
    /// Excel in many locales saves "CSV" with semicolons; exports from other tools use tabs.
    case notCommaSeparated(separator: String)
    case duplicateField(field: String, columns: [String])
    case noNameColumn(columns: [String])
    case invalidMapping(String)
    case mappedColumnMissing(column: String, columns: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason); nothing was imported"
        case .notUTF8(let offset, let line):
            return "the file is not UTF-8 text (invalid byte at offset \(offset), line \(line)); nothing was imported. Save it as \"CSV UTF-8\" (Excel) or convert it, e.g. `iconv -f GBK -t UTF-8 FILE > FILE.utf8.csv`"
        case .utf16:
            return "the file is UTF-16 text; nothing was imported. Save it as \"CSV UTF-8\" and import again"
        case .unterminatedQuote(let line):
            return "line \(line): a quoted field is never closed (a \" is missing); nothing was imported. Fix the quotes and import again"
        case .textAfterClosingQuote(let line):
            return "line \(line): text follows a closing quote inside a field (write a quote inside a quoted field as \"\"); nothing was imported"
        case .empty:
            return "the file is empty: expected a header row (name, role, city, … or 姓名, 角色, 城市, …) and one row per member"
        case .headerOnly:
            return "the file has a header row but no members below it: nothing to import"
        case .unknownColumns(let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            let example = columns.first ?? "COLUMN"
            return "unknown column\(columns.count == 1 ? "" : "s") \(list); nothing was imported. Map each to a member field ('\(example)=FIELD') or ignore it ('\(example)=-') (fields: \(MemberColumns.fieldNames.joined(separator: ", ")))"
        case .notCommaSeparated(let separator):
            return "the header is separated by \(separator), not commas; nothing was imported. Save the file as CSV with commas (\"CSV UTF-8\" in Excel) and import again"
        case .duplicateField(let field, let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: " and ")
            return "columns \(list) both hold \(field); nothing was imported. Ignore one ('\(columns.last ?? "COLUMN")=-')"
        case .noNameColumn(let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "no column holds the member's name (columns: \(list)); nothing was imported. Name it name or 姓名, or map one to it ('COLUMN=name')"
        case .invalidMapping(let reason):
            return "invalid column mapping: \(reason)"
        case .mappedColumnMissing(let column, let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "the mapping names column '\(column)', which the header does not have (columns: \(list))"
        }
    }
}
