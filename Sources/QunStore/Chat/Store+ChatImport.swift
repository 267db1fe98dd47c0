import Foundation
import GRDB
import QunCore

extension Store {
    /// Imports a group chat export as member activity, in one write transaction (one command
    /// for `undo`).
    ///
    /// Each message, join and leave is stored once however often it is imported, on this
    /// laptop or a teammate's (`ChatLineID`); recall notices and other system lines are read
    /// and counted, never stored. Bad lines leave the store untouched unless `skipBad`; the
    /// report lists them by line number either way. A problem with the file as a whole (not
    /// readable, format unknown, a required column missing) or a `--link` that names no
    /// sender or no member throws, and nothing is written.
    ///
    /// - Parameter progress: called with the number of lines read, every few thousand.
    public func importChat(_ url: URL, options: ChatImportOptions = ChatImportOptions(),
                           progress: ((Int) -> Void)? = nil) throws -> ChatImportReport {
        do {
            return try write { tx -> ChatImportReport in
                let reader = ChatExportReader(format: options.format, mapping: options.mapping)
                var importer = try ChatImporter(tx: tx, keepText: options.keepText, writes: !options.dryRun,
                                                format: options.format ?? .csv)
                var read = 0
                let result = try reader.read(contentsOf: url) { line in
                    try importer.take(line)
                    read += 1
                    if read % 20_000 == 0 { progress?(read) }
                }
                try importer.close()
                var report = importer.report
                let problems = result.problems
                report.format = result.format
                report.group = result.group
                report.problems = problems
                report.linked = try tx.linkChatSenders(options.links, seen: importer.senders)
                try tx.flush()
                let matcher = try ChatSenderMatcher(tx.db)
                let names = try Dictionary(
                    Row.fetchAll(tx.db, sql: "SELECT uid, name FROM member").map { ($0[0] as String, ($0[1] as String?) ?? "") },
                    uniquingKeysWith: { a, _ in a })
                report.senders = importer.senders.map { key, sender in
                    let found = matcher.match(key, extraNames: Array(sender.names))
                    return ChatImportReport.Sender(key: key, nickname: sender.nickname, messages: sender.messages,
                                                   member: found?.member, memberName: found.flatMap { names[$0.member] },
                                                   match: found?.how)
                }.sorted { a, b in a.messages != b.messages ? a.messages > b.messages : a.key < b.key }
                if !problems.isEmpty && !options.skipBad {
                    report.rejected = true
                    throw Rejected(report: report)
                }
                // A dry run has written its links: roll them back with everything else.
                if options.dryRun { throw Rejected(report: report) }
                return report
            }
        } catch let rejected as Rejected {
            return rejected.report
        }
    }

    private struct Rejected: Error {
        var report: ChatImportReport
    }
}

extension WriteTransaction {
    /// Writes `--link NAME=MEMBER`s: each names one sender (by a display name seen in this
    /// import or an earlier one, by sender key, or by QQ number) and one member. The key moves
    /// to that member: links to other members are removed, so a corrected link replaces the
    /// wrong one on every laptop that has seen it.
    func linkChatSenders(_ links: [(sender: String, member: String)],
                         seen: [String: (nickname: String, names: Set<String>, messages: Int)]) throws -> [(key: String, member: String)] {
        var written: [(key: String, member: String)] = []
        for link in links {
            let name = link.sender.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !link.member.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ChatLinkError.invalid("\(link.sender)=\(link.member)")
            }
            var keys: Set<String> = []
            if seen[name] != nil { keys.insert(name) }
            if seen["qq:\(name)"] != nil { keys.insert("qq:\(name)") }
            for (key, sender) in seen where sender.names.contains(name) { keys.insert(key) }
            for key in try String.fetchAll(db, sql: "SELECT key FROM chat_sender WHERE nickname = ? OR key = ? OR key = ?",
                                           arguments: [name, name, "qq:\(name)"]) {
                keys.insert(key)
            }
            if keys.isEmpty, name.contains(":") { keys.insert(name) }
            guard !keys.isEmpty else { throw ChatLinkError.unknownSender(name) }
            guard keys.count == 1, let key = keys.first else { throw ChatLinkError.ambiguousSender(name, keys: keys.sorted()) }
            let member = try resolve(Member.self, link.member).uid
            let holders = try String.fetchAll(db, sql: """
                SELECT DISTINCT rec.uid FROM set_tag t
                JOIN record rec ON rec.rowid = t.record
                JOIN name c ON c.rowid = rec.collection AND c.text = ?
                JOIN name f ON f.rowid = t.field AND f.text = ?
                WHERE t.element = ? AND \(MergeRules.present(.setElement, table: "t"))
                """, arguments: [String.memberCollection, Member.chatLinksField, key])
            for other in holders where other != member {
                try remove(.memberCollection, other, Member.chatLinksField, key)
            }
            if !holders.contains(member) { try add(.memberCollection, member, Member.chatLinksField, key) }
            written.append((key, member))
        }
        return written
    }
}
