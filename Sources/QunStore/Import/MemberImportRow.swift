/// One data row of a members CSV on its way into the store: its values checked and turned
/// into a draft, then its `kol` and `referrer` cells resolved to members.
struct MemberImportRow {
    /// A member a `kol` or `referrer` cell names.
    enum Target: Equatable {
        /// A member already in the store.
        case member(String)
        /// Another row of the same file, by index.
        case row(Int)
    }

    var line: Int
    /// The checked values; `kol` and `referrer` still hold the cells' text.
    var draft: MemberDraft
    /// The row's own `id` / `number` cells (from `export members`), which other rows'
    /// references may use.
    var fileID: String?
    var fileNumber: String?
    var kol: Target?
    var referrer: Target?
    /// Why the row cannot be imported; nil for a good row.
    var problem: String?

    var isGood: Bool { problem == nil }

    /// Checks every cell; all problems of the row are reported together. A problem names
    /// the column (as `header` calls it) and what it expected, and shows at most the start
    /// of the cell's value (`ImportCell`).
    init(_ record: CSVTable.Record, columns: MemberColumns, header: [String]) {
        line = record.line
        draft = MemberDraft(name: "")
        var problems: [String] = []
        var columnIndex = 0
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch { problems.append(Self.problem(error, column: columnIndex < header.count ? header[columnIndex] : nil)) }
        }
        if record.fields.count > columns.columns.count,
           record.fields[columns.columns.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            problems.append("\(record.fields.count) fields but the header has \(columns.columns.count) columns (a comma too many, or a field that needs quotes?)")
        }
        for (index, column) in columns.columns.enumerated() {
            columnIndex = index
            let raw = index < record.fields.count ? record.fields[index] : ""
            let text = MemberCSV.unguarded(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            switch column {
            case .ignored:
                continue
            case .field(.name):
                attempt { draft.name = try MemberValidation.name(text) }
                continue
            default:
                break
            }
            guard !text.isEmpty else { continue }
            switch column {
            case .tags: attempt { draft.tags = try MemberVocabulary.tags(text) }
            case .id: fileID = text.lowercased()
            case .number: fileNumber = text.uppercased()
            case .field(let field):
                switch field {
                case .role: attempt { draft.role = try MemberVocabulary.role(text) }
                case .status: attempt { draft.status = try MemberVocabulary.status(text) }
                case .gate: attempt { draft.gate = try MemberVocabulary.gate(text) }
                case .joined: attempt { draft.joined = try MemberVocabulary.date(text) }
                case .email: attempt { draft.email = try MemberValidation.email(text) }
                case .phone: attempt { draft.phone = try MemberValidation.phone(text) }
                case .kol: draft.kol = text
                case .referrer: draft.referrer = text
                case .gateNote: draft.gateNote = text
                case .city: draft.city = text
                case .wechat: draft.wechat = text
                case .qq: attempt { draft.qq = try MemberValidation.qq(text) }
                case .notes: draft.notes = text
                case .name, .number: break
                }
            case .ignored: break
            }
        }
        problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// A checking error as a row problem, with the cell's value cut short.
    static func problem(_ error: Error, column: String?) -> String {
        let place = column.map { " (column '\($0)')" } ?? ""
        switch error {
        case StoreError.invalidValue(let field, let value, let expected):
            return "invalid \(field) \(ImportCell.quoted(value))\(place): expected \(expected)"
        case StoreError.missingValue(let field):
            return "\(field) must not be empty"
        default:
            return "invalid value\(place)"
        }
    }
}
