import Foundation

/// Checks on member field values, shared by every front (CLI, REPL, CSV import).
public enum MemberValidation {
    public static func name(_ text: String) throws -> String {
        try RecordText.line(text, field: "name")
    }

    /// A tag is one word: no spaces, not starting with `+` or `-`, no `:` (those would read as
    /// filters in `member list +tag -tag field:value`).
    public static func tag(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.missingValue(field: "tag") }
        let bad = trimmed.first == "+" || trimmed.first == "-" || trimmed.contains(":")
            || trimmed.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) }
        guard !bad, trimmed.count <= 64 else {
            throw StoreError.invalidValue(field: "tag", value: trimmed, expected: "one word of at most 64 characters, without spaces or ':', not starting with + or -")
        }
        return trimmed
    }

    public static func date(_ text: String, field: String = "joined") throws -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...2999).contains(year), (1...12).contains(month),
              (1...daysIn(month: month, year: year)).contains(day) else {
            throw StoreError.invalidValue(field: field, value: text, expected: "a date YYYY-MM-DD")
        }
        return text
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func role(_ text: String) throws -> Member.Role {
        guard let role = Member.Role(rawValue: text.lowercased()) else {
            throw StoreError.invalidValue(field: "role", value: text, expected: "one of admin, kol, core, member")
        }
        return role
    }

    public static func gate(_ text: String) throws -> Member.Gate {
        guard let gate = Member.Gate(rawValue: text.lowercased()) else {
            throw StoreError.invalidValue(field: "gate", value: text, expected: "one of identity, interest, paid, region, combined")
        }
        return gate
    }

    public static func status(_ text: String) throws -> Member.Status {
        guard let status = Member.Status(rawValue: text.lowercased()) else {
            throw StoreError.invalidValue(field: "status", value: text, expected: "one of active, quiet, left")
        }
        return status
    }

    public static func email(_ text: String) throws -> String {
        let parts = text.split(separator: "@")
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !text.contains(where: \.isWhitespace) else {
            throw StoreError.invalidValue(field: "email", value: "…", expected: "an address like name@example.com")
        }
        return text
    }

    public static func phone(_ text: String) throws -> String {
        let allowed = CharacterSet(charactersIn: "0123456789+-() ")
        guard text.unicodeScalars.allSatisfy(allowed.contains), text.contains(where: \.isNumber) else {
            // The value is not echoed: it is contact data.
            throw StoreError.invalidValue(field: "phone", value: "…", expected: "digits, spaces and + - ( )")
        }
        return text
    }

    /// A QQ number: 5 to 12 digits, not starting with 0.
    public static func qq(_ text: String) throws -> String {
        guard (5...12).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }), text.first != "0" else {
            throw StoreError.invalidValue(field: "qq", value: "…", expected: "a QQ number: 5 to 12 digits")
        }
        return text
    }

    /// Today's date in local time, `YYYY-MM-DD`.
    public static func today(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
