/// What one column of a members CSV holds.
public enum MemberColumn: Equatable, Sendable {
    case field(Member.Field)
    case tags
    /// The `id` / `number` columns of `export members`: the importing laptop gives every
    /// member a fresh id and number, so these are not imported; they only let `kol` and
    /// `referrer` cells name another row of the same file unambiguously.
    case id
    case number
    case ignored

    /// The field name `--map` takes for this column (`-` when ignored).
    public var fieldName: String {
        switch self {
        case .field(let field): return field.rawValue
        case .tags: return "tags"
        case .id: return "id"
        case .number: return "number"
        case .ignored: return "-"
        }
    }
}

/// Which member field each column of a CSV header holds: header names in English or
/// Chinese are recognised, `--map COLUMN=FIELD` overrides them, and `--map COLUMN=-`
/// ignores a column. Any other column is an error that lists it, so that a typo in a
/// header never drops a column of data silently.
public struct MemberColumns: Equatable, Sendable {
    /// One entry per header column.
    public var columns: [MemberColumn]

    /// Header names (after `normalised`) and what they hold.
    static let names: [String: MemberColumn] = {
        let table: [(MemberColumn, [String])] = [
            (.field(.name), ["name", "姓名", "昵称", "名字"]),
            (.field(.role), ["role", "角色", "身份"]),
            (.field(.city), ["city", "城市", "所在城市"]),
            (.tags, ["tags", "tag", "标签"]),
            (.field(.wechat), ["wechat", "weixin", "微信", "微信号"]),
            (.field(.qq), ["qq", "qq号", "qq号码", "qqnumber"]),
            (.field(.phone), ["phone", "mobile", "tel", "手机", "电话", "手机号", "手机号码"]),
            (.field(.email), ["email", "mail", "邮箱", "电子邮箱"]),
            (.field(.joined), ["joined", "joindate", "加入日期", "加入时间", "入群时间", "入群日期"]),
            (.field(.referrer), ["referrer", "invitedby", "推荐人", "邀请人"]),
            (.field(.kol), ["kol", "负责kol", "对接kol"]),
            (.field(.gate), ["gate", "门槛", "入群门槛"]),
            (.field(.gateNote), ["gatenote", "门槛备注"]),
            (.field(.status), ["status", "状态"]),
            (.field(.notes), ["notes", "note", "备注"]),
            (.id, ["id"]),
            (.number, ["number", "编号", "会员编号"]),
            // Written by `export members`, derived from the store: nothing to import.
            (.ignored, ["logcount", "deleted"]),
        ]
        var names: [String: MemberColumn] = [:]
        for (column, words) in table {
            for word in words { names[word] = column }
        }
        return names
    }()

    /// The field names `--map` takes (Chinese header names work too).
    public static let fieldNames = [
        "name", "role", "kol", "referrer", "gate", "gate_note", "city", "joined", "status",
        "wechat", "phone", "email", "notes", "tags", "id", "number",
    ]

    /// Case, spaces, `_` and `-` do not matter in header names: `Gate Note`, `gate_note`
    /// and `GATE-NOTE` are one column.
    static func normalised(_ name: String) -> String {
        String(name.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
    }

    /// Parses `--map` arguments (`COLUMN=FIELD`, `COLUMN=-`) into column → target.
    public static func mapping(_ arguments: [String]) throws -> [String: MemberColumn] {
        var mapping: [String: MemberColumn] = [:]
        for argument in arguments {
            // Split at the last '=': field names never hold one, column names might.
            guard let equals = argument.lastIndex(of: "=") else {
                throw ImportError.invalidMapping("'\(argument)' is not COLUMN=FIELD (or COLUMN=- to ignore the column)")
            }
            let column = argument[..<equals].trimmingCharacters(in: .whitespaces)
            let target = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !column.isEmpty else { throw ImportError.invalidMapping("'\(argument)' names no column") }
            if target == "-" {
                mapping[column] = .ignored
            } else if let known = names[normalised(target)], known != .ignored {
                mapping[column] = known
            } else {
                throw ImportError.invalidMapping("'\(target)' is not a member field: use one of \(fieldNames.joined(separator: ", ")), or - to ignore the column")
            }
        }
        return mapping
    }

    /// What each column of `table` holds. A column with no header name and no values (a
    /// spreadsheet's stray trailing comma) is ignored.
    public init(header: [String], records: [CSVTable.Record], mapping: [String: MemberColumn]) throws {
        for column in mapping.keys where !header.contains(column) {
            throw ImportError.mappedColumnMissing(column: column, columns: header)
        }
        var columns: [MemberColumn] = []
        var unknown: [String] = []
        for (index, name) in header.enumerated() {
            if let mapped = mapping[name] {
                columns.append(mapped)
            } else if let known = Self.names[Self.normalised(name)] {
                columns.append(known)
            } else if name.isEmpty, records.allSatisfy({ index >= $0.fields.count || $0.fields[index].isEmpty }) {
                columns.append(.ignored)
            } else {
                columns.append(.ignored)
                unknown.append(name.isEmpty ? "(column \(index + 1), no name)" : name)
            }
        }
        if !unknown.isEmpty {
            if header.count == 1, let only = header.first {
                if only.contains(";") { throw ImportError.notCommaSeparated(separator: "semicolons") }
                if only.contains("\t") { throw ImportError.notCommaSeparated(separator: "tabs") }
            }
            throw ImportError.unknownColumns(unknown)
        }
        for (index, column) in columns.enumerated() where column != .ignored {
            let others = columns.indices.filter { columns[$0] == column }
            if others.count > 1, others.first == index {
                throw ImportError.duplicateField(field: column.fieldName, columns: others.map { header[$0] })
            }
        }
        guard columns.contains(.field(.name)) else { throw ImportError.noNameColumn(columns: header) }
        self.columns = columns
    }
}
