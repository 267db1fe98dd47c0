import QunCore
import QunStore

/// The `--json` form of a member. Keys are stable; absent values are `null`.
enum MemberJSON {
    static func object(_ member: Member) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        return .object([
            ("city", text(member.city)),
            ("deleted", .bool(member.deleted)),
            ("email", text(member.email)),
            ("gate", text(member.gate?.rawValue)),
            ("gate_note", text(member.gateNote)),
            ("id", .string(member.id)),
            ("joined", text(member.joined)),
            ("kol", text(member.kol)),
            ("log_count", .int(Int64(member.logCount))),
            ("name", .string(member.name)),
            ("notes", text(member.notes)),
            ("number", text(member.number)),
            ("phone", text(member.phone)),
            ("qq", text(member.qq)),
            ("referrer", text(member.referrer)),
            ("role", text(member.role?.rawValue)),
            ("status", text(member.status?.rawValue)),
            ("tags", .array(member.tags.map { .string($0) })),
            ("wechat", text(member.wechat)),
        ])
    }
}
