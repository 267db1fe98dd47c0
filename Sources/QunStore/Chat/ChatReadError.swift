/// Why a chat export cannot be read at all. A single bad line is not an error but a
/// `ChatProblem` in the result, so one run lists every bad line.
///
/// Like the member import's errors, messages name files, lines and columns, never the text of
/// a message: an export is private.
public enum ChatReadError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// Neither QQ text nor a CSV header: the caller must say which format it is.
    case unknownFormat(path: String)
    /// A CSV export without even a header line.
    case noHeader(path: String, format: ChatFormat)
    /// Columns a format needs are not in the header. `missing` names what is needed
    /// ("time", "sender"…), `header` is the header as found.
    case missingColumns(path: String, format: ChatFormat, missing: [String], header: [String])
    /// `--map` names a column the header does not have.
    case mappedColumnMissing(path: String, column: String, header: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unknownFormat(let path):
            return "cannot tell the format of \(path): give --format qq|wechat-csv|csv"
        case .noHeader(let path, let format):
            return "\(path) has no header line: a \(format.rawValue) export starts with one (for example time,sender,text)"
        case .missingColumns(let path, let format, let missing, let header):
            let found = header.isEmpty ? "no columns" : header.joined(separator: ", ")
            let list = missing.joined(separator: " and ")
            if format == .csv {
                let example = missing.map { "--map \"COLUMN=\($0)\"" }.joined(separator: " ")
                return "\(path) has no \(list) column (its header: \(found)): name the columns with --map, e.g. \(example)"
            }
            return "\(path) has no \(list) column for a \(format.rawValue) export (its header: \(found)); if it is another kind of CSV, give --format csv and --map"
        case .mappedColumnMissing(let path, let column, let header):
            let found = header.isEmpty ? "no columns" : header.joined(separator: ", ")
            return "--map names the column \"\(column)\", but \(path) has no such column (its header: \(found))"
        }
    }
}
