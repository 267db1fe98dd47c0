import Foundation

/// The words operators put in spreadsheets for member values, in English and Chinese,
/// mapped to the stored values. `MemberValidation` accepts only the stored English words
/// (what `member add --role` takes); an exported roster says 意见领袖 or 潜水, and an import
/// should not make the operator rewrite the sheet.
public enum MemberVocabulary {
    static let roles: [String: Member.Role] = words([
        .admin: ["管理", "管理员", "管理人员", "群主", "群管"],
        .kol: ["意见领袖", "达人", "领袖"],
        .core: ["核心", "核心成员", "骨干"],
        .member: ["普通", "成员", "普通成员", "会员", "群成员", "潜水"],
    ])

    static let statuses: [String: Member.Status] = words([
        .active: ["活跃", "正常", "在群"],
        .quiet: ["潜水", "沉默", "不活跃"],
        .left: ["退群", "离开", "已退群", "退出", "离群", "流失"],
    ])

    static let gates: [String: Member.Gate] = words([
        .identity: ["身份"],
        .interest: ["兴趣"],
        .paid: ["付费"],
        .region: ["地区", "地域", "区域"],
        .combined: ["组合", "综合", "混合"],
    ])

    private static func words<T: RawRepresentable>(_ table: [T: [String]]) -> [String: T] where T.RawValue == String {
        var result: [String: T] = [:]
        for (value, words) in table {
            result[value.rawValue] = value
            for word in words { result[word] = value }
        }
        return result
    }

    public static func role(_ text: String) throws -> Member.Role {
        guard let role = roles[text.lowercased()] else {
            throw StoreError.invalidValue(field: "role", value: text, expected: "one of admin, kol, core, member (or 管理, 意见领袖, 核心, 成员)")
        }
        return role
    }

    public static func status(_ text: String) throws -> Member.Status {
        guard let status = statuses[text.lowercased()] else {
            throw StoreError.invalidValue(field: "status", value: text, expected: "one of active, quiet, left (or 活跃, 潜水, 退群)")
        }
        return status
    }

    public static func gate(_ text: String) throws -> Member.Gate {
        guard let gate = gates[text.lowercased()] else {
            throw StoreError.invalidValue(field: "gate", value: text, expected: "one of identity, interest, paid, region, combined (or 身份, 兴趣, 付费, 地区, 组合)")
        }
        return gate
    }

    /// A date as spreadsheets write it — `2026-03-05`, `2026/3/5`, `2026.3.5`,
    /// `2026年3月5日`, with an optional time after it — as `YYYY-MM-DD`.
    public static func date(_ text: String) throws -> String {
        var day = text
        if let space = day.firstIndex(where: { $0 == " " || $0 == "T" }) { day = String(day[..<space]) }
        let parts = day.split(whereSeparator: { "-/.年月日".contains($0) })
        if parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
           parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
           day.last.map({ $0.isNumber || $0 == "日" }) == true {
            let padded = parts.map { $0.count == 1 ? "0" + $0 : String($0) }
            if let valid = try? MemberValidation.date(padded.joined(separator: "-")) { return valid }
        }
        throw StoreError.invalidValue(field: "joined", value: text, expected: "a date such as 2026-03-05, 2026/3/5 or 2026年3月5日")
    }

    /// Characters that separate tags in one cell. Tags hold no spaces, so any whitespace
    /// separates too.
    static let tagSeparators: Set<Character> = [",", "，", ";", "；", "、", "|", "｜"]

    /// The tags of one cell, in order, without duplicates.
    public static func tags(_ text: String) throws -> [String] {
        var seen: Set<String> = []
        var tags: [String] = []
        for word in text.split(whereSeparator: { tagSeparators.contains($0) || $0.isWhitespace }) {
            let tag = try MemberValidation.tag(String(word))
            if seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags
    }
}
