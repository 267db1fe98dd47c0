import Foundation

/// Live members as CSV for a spreadsheet — and back: `import members` of this output into
/// an empty store gives the same names, fields, tags and KOL/referrer links.
///
/// - Columns, in this order (stable): `id, number, name, role, kol, referrer, gate,
///   gate_note, city, joined, status, wechat, phone, email, notes, tags, log_count`.
/// - `kol` and `referrer` hold member ids (as `member list --json`); on import they name the
///   row with that `id`, so links survive duplicate names. A link to a member that is not
///   exported (a deleted one) is left empty: the file could not be imported otherwise.
/// - `tags` are joined with `;` (import splits on `;` and other separators).
/// - RFC 4180: CRLF line endings; a field with a comma, quote, line break or leading or
///   trailing space is quoted, a quote inside doubled.
/// - It starts with a UTF-8 byte order mark: without one Excel reads the file in the
///   system's code page and shows Chinese as mojibake. `import members` skips it.
/// - A field starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
///   Names and notes come from outsiders (WeChat nicknames): a spreadsheet would run
///   `=HYPERLINK(…)` as a formula, and shows `+86 138…` as an error. `import members` drops
///   that `'` again (see `unguarded`).
public enum MemberCSV {
    public static let header = [
        "id", "number", "name", "role", "kol", "referrer", "gate", "gate_note", "city", "joined",
        "status", "wechat", "qq", "phone", "email", "notes", "tags", "log_count",
    ]

    public static let byteOrderMark = "\u{FEFF}"

    public static func render(_ members: [Member]) -> String {
        var out = byteOrderMark
        out.reserveCapacity(members.count * 128)
        append(header, to: &out)
        let exported = Set(members.map(\.id))
        func link(_ id: String?) -> String {
            guard let id, exported.contains(id) else { return "" }
            return id
        }
        for member in members {
            append([
                member.id, member.number ?? "", member.name, member.role?.rawValue ?? "",
                link(member.kol), link(member.referrer), member.gate?.rawValue ?? "", member.gateNote ?? "",
                member.city ?? "", member.joined ?? "", member.status?.rawValue ?? "", member.wechat ?? "", member.qq ?? "",
                member.phone ?? "", member.email ?? "", member.notes ?? "", member.tags.joined(separator: ";"),
                String(member.logCount),
            ], to: &out)
        }
        return out
    }

    static func append(_ fields: [String], to out: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out += "," }
            out += quoted(field)
        }
        out += "\r\n"
    }

    /// Characters a spreadsheet reads as the start of a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a field starts, after any apostrophes, with a formula character: those get
    /// one more `'` on export and lose one on import, so `'=x` survives the round trip too.
    static func needsGuard(_ field: Substring) -> Bool {
        guard let first = field.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(first)
    }

    /// A cell of `export members` as it was before the formula guard.
    public static func unguarded(_ cell: String) -> String {
        guard cell.first == "'", needsGuard(cell.dropFirst()) else { return cell }
        return String(cell.dropFirst())
    }

    static func quoted(_ raw: String) -> String {
        let field = needsGuard(raw[...]) ? "'" + raw : raw
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Store {
    /// Live members (ordered as `member list`) as CSV; see `MemberCSV`.
    public func exportMembersCSV() throws -> String {
        MemberCSV.render(try members())
    }
}
