import GRDB
import QunCore

extension Member {
    /// The set field of sender keys linked to a member by `qun import chat --link`.
    public static let chatLinksField = "chat"
}

/// How a chat sender was matched to a member.
public enum ChatMatch: String, Sendable, CaseIterable {
    /// `--link 昵称=MEMBER` named this sender for this member.
    case link
    /// The sender's QQ number, WeChat id or email is the member's.
    case handle
    /// A name the chat shows for the sender is the name of exactly one member.
    case name
}

/// Finds the member behind a chat sender, from the merged records every time it is asked,
/// so that a link or a member's new QQ number counts for messages imported before it.
///
/// In order: a link (the sender key is in a member's `chat` set), then the handle the key
/// carries (`qq:` the member's QQ number, `wxid:` the WeChat id, `email:`, and `id:` either
/// of the first two), then any display name the chat used for the sender, when exactly one
/// live member has that name. A sender two members could be is not matched: a wrong match
/// would credit one member with another's messages, so it is reported for a `--link`.
struct ChatSenderMatcher {
    private var links: [String: String] = [:]
    private var ambiguousLinks: Set<String> = []
    private var byQQ: [String: [String]] = [:]
    private var byWechat: [String: [String]] = [:]
    private var byEmail: [String: [String]] = [:]
    private var byName: [String: [String]] = [:]
    private var nicknames: [String: [String]] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT uid, name, qq, wechat, email FROM member WHERE deleted = 0") {
            let id: String = try row.required(0, of: "member")
            if let name = row[1] as String? { byName[Self.normalised(name), default: []].append(id) }
            if let qq = row[2] as String? { byQQ[qq, default: []].append(id) }
            if let wechat = row[3] as String? { byWechat[wechat, default: []].append(id) }
            if let email = row[4] as String? { byEmail[email.lowercased(), default: []].append(id) }
        }
        let linkRows = try Row.fetchAll(db, sql: """
            SELECT rec.uid, t.element FROM set_tag t
            JOIN record rec ON rec.rowid = t.record AND rec.deleted = 0
            JOIN name c ON c.rowid = rec.collection AND c.text = ?
            JOIN name f ON f.rowid = t.field AND f.text = ?
            WHERE \(MergeRules.present(.setElement, table: "t"))
            """, arguments: [String.memberCollection, Member.chatLinksField])
        for row in linkRows {
            let id: String = try row.required(0, of: "record")
            let key: String = try row.required(1, of: "set_tag")
            if let other = links[key], other != id { ambiguousLinks.insert(key) }
            links[key] = min(links[key] ?? id, id)
        }
        for row in try Row.fetchAll(db, sql: "SELECT key, nickname FROM chat_sender ORDER BY key, nickname") {
            nicknames[row[0], default: []].append(row[1])
        }
    }

    /// Display names are compared without surrounding spaces.
    static func normalised(_ name: String) -> String { name.trimmingCharacters(in: .whitespaces) }

    /// Every display name stored for `key`.
    func names(of key: String) -> [String] { nicknames[key] ?? [] }

    /// The member id behind `key` and how it was found; nil when no member, or more than one,
    /// fits. `extraNames` are display names not stored yet (an import in progress).
    func match(_ key: String, extraNames: [String] = []) -> (member: String, how: ChatMatch)? {
        if let linked = links[key], !ambiguousLinks.contains(key) { return (linked, .link) }
        if let handle = handleMatch(key) { return (handle, .handle) }
        var found: Set<String> = []
        for name in Set(names(of: key) + extraNames + Self.nameInKey(key)) {
            for id in byName[Self.normalised(name)] ?? [] { found.insert(id) }
        }
        if found.count == 1, let id = found.first { return (id, .name) }
        return nil
    }

    private func handleMatch(_ key: String) -> String? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let kind = key[..<colon], value = String(key[key.index(after: colon)...])
        var found: [String]
        switch kind {
        case "qq": found = byQQ[value] ?? []
        case "wxid": found = byWechat[value] ?? []
        case "email": found = byEmail[value.lowercased()] ?? []
        case "id": found = Array(Set((byQQ[value] ?? []) + (byWechat[value] ?? [])))
        default: found = []
        }
        return found.count == 1 ? found[0] : nil
    }

    private static func nameInKey(_ key: String) -> [String] {
        key.hasPrefix("name:") ? [String(key.dropFirst(5))] : []
    }

    /// Every member id some sender key matches: `[key: member]`, for `keys`.
    func members(for keys: some Sequence<String>) -> [String: String] {
        var result: [String: String] = [:]
        for key in keys { if let found = match(key) { result[key] = found.member } }
        return result
    }
}
