import QunCore
import QunStore

/// The `--json` form of a member. Keys are stable; absent values are `null`.
enum MemberJSON {
    static func object(_ member: Member) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        return .object([
            ("id", .string(member.id)),
            ("number", text(member.number)),
            ("name", .string(member.name)),
            ("role", text(member.role?.rawValue)),
            ("kol", text(member.kol)),
            ("referrer", text(member.referrer)),
            ("gate", text(member.gate?.rawValue)),
            ("gate_note", text(member.gateNote)),
            ("city", text(member.city)),
            ("joined", text(member.joined)),
            ("status", text(member.status?.rawValue)),
            ("wechat", text(member.wechat)),
            ("phone", text(member.phone)),
            ("email", text(member.email)),
            ("notes", text(member.notes)),
            ("tags", .array(member.tags.map { .string($0) })),
            ("log_count", .int(Int64(member.logCount))),
            ("deleted", .bool(member.deleted)),
        ])
    }
}
