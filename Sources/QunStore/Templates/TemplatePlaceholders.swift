/// The placeholders qun fills by itself, with what each one becomes. `qun help templates`
/// prints this list, so it is written once, here.
public enum TemplatePlaceholders {
    public struct Placeholder: Sendable {
        public var key: String
        public var meaning: String
    }

    /// Filled from the member a template is rendered for.
    public static let member: [Placeholder] = [
        .init(key: "name", meaning: "the member's name"),
        .init(key: "number", meaning: "the member number, e.g. 7QKM-12 (the join ritual's \"you are member no. …\")"),
        .init(key: "role", meaning: "admin, kol, core or member"),
        .init(key: "kol", meaning: "the name of the KOL who looks after the member"),
        .init(key: "referrer", meaning: "the name of who invited the member"),
        .init(key: "gate", meaning: "the entry gate (identity, interest, paid, region, combined)"),
        .init(key: "city", meaning: "the member's city"),
        .init(key: "joined", meaning: "the day the member joined, YYYY-MM-DD"),
        .init(key: "status", meaning: "active, quiet or left"),
        .init(key: "wechat", meaning: "the member's WeChat id"),
        .init(key: "qq", meaning: "the member's QQ number"),
        .init(key: "tags", meaning: "the member's tags, joined by 、"),
    ]

    /// Filled whoever the template is for.
    public static let general: [Placeholder] = [
        .init(key: "today", meaning: "today's date, YYYY-MM-DD"),
        .init(key: "operator", meaning: "your name, as your teammates see it"),
    ]

    static var memberKeys: Set<String> { Set(member.map(\.key)) }
    static var generalKeys: Set<String> { Set(general.map(\.key)) }

    /// Throws the error `render` would for a member who has the fields `memberHas`.
    static func check(_ text: TemplateText, template: String, values: [String: String], memberHas: Set<String>, member: String) throws {
        let known = Self.member.map(\.key) + general.map(\.key)
        for key in text.placeholders where values[key] == nil && !generalKeys.contains(key) {
            guard memberKeys.contains(key) else {
                throw TemplateError.unknownPlaceholder(template: template, placeholder: key, known: known)
            }
            guard memberHas.contains(key) else {
                throw TemplateError.missingValue(template: template, placeholder: key, member: member)
            }
        }
    }

    /// The value of a member placeholder for `member`; nil when the member has none.
    /// `names` maps member ids to names (for kol and referrer).
    static func value(_ key: String, of member: Member, names: [String: String]) -> String? {
        let text: String?
        switch key {
        case "name": text = member.name
        case "number": text = member.number
        case "role": text = member.role?.rawValue
        case "kol": text = member.kol.flatMap { names[$0] }
        case "referrer": text = member.referrer.flatMap { names[$0] }
        case "gate": text = member.gate?.rawValue
        case "city": text = member.city
        case "joined": text = member.joined
        case "status": text = member.status?.rawValue
        case "wechat": text = member.wechat
        case "qq": text = member.qq
        case "tags": text = member.tags.isEmpty ? nil : member.tags.joined(separator: "、")
        default: text = nil
        }
        return text.flatMap { $0.isEmpty ? nil : $0 }
    }
}
