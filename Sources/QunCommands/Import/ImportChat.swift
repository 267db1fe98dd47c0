import ArgumentParser
import Foundation
import QunCore
import QunStore

struct ImportChat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Import a group chat export as member activity: each message once.",
        discussion: """
            Reads a group chat export and records each message as activity of the member who \
            sent it: who, when (the export's own clock) and how long — not what was said, \
            unless --keep-text is given (it is other people's words). Join lines (xx 加入了群聊) \
            count as joins for `qun report growth`; recall notices (xx 撤回了一条消息) and other \
            system lines count as nothing.

            Formats (--format, or told from the file):
              qq          QQ's text export (消息管理器 → 导出为 .txt)
              wechat-csv  the CSV of WeChat export tools (StrTime, NickName/Sender, StrContent, Type)
              csv         any CSV with a header: time/时间, sender/发送者/昵称, sender_id/QQ/微信号, \
            text/内容, type/类型; --map COLUMN=FIELD names other headers (fields: time, sender, \
            sender_id, text, type, id; COLUMN=- ignores a column)

            Senders are matched to members by a link, then by QQ number (`member edit --qq`), \
            WeChat id or email, then by a name the chat shows when exactly one member has it. \
            Unmatched senders are listed; --link 昵称=MEMBER links one (by the name the chat \
            shows, its sender key such as qq:12345678, or its QQ number) and is remembered on \
            the member, for later imports and every teammate.

            Importing a file again, or an overlapping export on another laptop, adds only what \
            is new: a message's id comes from the message. Bad lines are listed as `line N: \
            reason`; if any is bad nothing is imported, unless --skip-bad. --dry-run shows what \
            would be imported and matched, writing nothing. One import is one command: `qun \
            undo` takes it back.

            Example: qun import chat 读书会.txt --link 小王=王芳 --dry-run
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("The chat export.", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("qq, wechat-csv or csv (default: told from the file).", valueName: "format")) var format: String?
    @Option(name: .customLong("map"), help: ArgumentHelp("COLUMN=FIELD for a plain CSV (time, sender, sender_id, text, type, id); COLUMN=- ignores it.", valueName: "column=field"))
    var mappings: [String] = []
    @Option(name: .customLong("link"), help: ArgumentHelp("NICKNAME=MEMBER: this sender is this member, now and in later imports.", valueName: "name=member"))
    var links: [String] = []
    @Flag(name: .long, help: "Keep the messages' text (off by default: only who, when and how long are kept).") var keepText = false
    @Flag(name: .long, help: "Read, match and report; write nothing.") var dryRun = false
    @Flag(name: .long, help: "Import the good lines even if some are bad (the bad ones are still listed).") var skipBad = false
    @OptionGroup var output: JSONOption

    func validate() throws {
        if let format, ChatFormat(rawValue: format) == nil {
            throw ValidationError("unknown --format '\(format)': use qq, wechat-csv or csv")
        }
        _ = try Self.mapping(mappings)
        _ = try Self.links(links)
    }

    static func mapping(_ pairs: [String]) throws -> [String: ChatColumn?] {
        var mapping: [String: ChatColumn?] = [:]
        for pair in pairs {
            guard let equals = pair.lastIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("invalid --map '\(pair)': write COLUMN=FIELD (fields: \(ChatColumn.allCases.map(\.rawValue).joined(separator: ", "))) or COLUMN=-")
            }
            let column = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let field = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if field == "-" {
                mapping[column] = .some(nil)
            } else if let known = ChatColumn(rawValue: field) {
                mapping[column] = known
            } else {
                throw ValidationError("invalid --map '\(pair)': unknown field '\(field)' (fields: \(ChatColumn.allCases.map(\.rawValue).joined(separator: ", ")), or - to ignore the column)")
            }
        }
        return mapping
    }

    static func links(_ pairs: [String]) throws -> [(sender: String, member: String)] {
        try pairs.map { pair in
            guard let equals = pair.firstIndex(of: "="),
                  !pair[..<equals].trimmingCharacters(in: .whitespaces).isEmpty,
                  !pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError(ChatLinkError.invalid(pair).description)
            }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
    }

    func run() throws {
        var options = ChatImportOptions()
        options.format = format.flatMap(ChatFormat.init(rawValue:))
        options.mapping = try Self.mapping(mappings)
        options.links = try Self.links(links)
        options.keepText = keepText
        options.dryRun = dryRun
        options.skipBad = skipBad
        let progress = ProgressLine()
        let report: ChatImportReport
        do {
            let store = try globals.openStore()
            report = try store.importChat(URL(fileURLWithPath: file), options: options) { read in
                progress.phase("reading \(file): \(read) lines")
            }
            progress.clear()
        } catch {
            progress.clear()
            throw error
        }
        ImportProblemList.write(report.problems, noun: "lines")
        if output.json {
            Console.printJSON(ChatImportJSON.object(report, file: file))
        } else if !report.rejected {
            printSummary(report)
        }
        if report.rejected { throw ChatImportRejected(report: report) }
    }

    private func printSummary(_ report: ChatImportReport) {
        let unmatched = report.unmatched
        if !unmatched.isEmpty {
            var table = TextTable(columns: [
                .init(title: "SENDER", maxWidth: 24), .init(title: "KEY", maxWidth: 28), .init(title: "MESSAGES", alignRight: true),
            ])
            for sender in unmatched.prefix(20) { table.addRow([sender.nickname, sender.key, String(sender.messages)]) }
            Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
            let more = unmatched.count > 20 ? " (\(unmatched.count - 20) more in --json)" : ""
            Console.print("\(unmatched.count) sender\(unmatched.count == 1 ? " matches" : "s match") no member\(more): link one with --link '\(unmatched[0].nickname)=MEMBER', or give members their QQ number / WeChat id")
        }
        let matched = report.senders.count - unmatched.count
        let span = report.first.map { first in " from \(first.day) to \(report.last?.day ?? first.day)" } ?? ""
        let read = "\(report.messages) message\(report.messages == 1 ? "" : "s"), \(report.joins) join\(report.joins == 1 ? "" : "s"), \(report.leaves) leave\(report.leaves == 1 ? "" : "s")"
        let held = report.alreadyHeld > 0 ? "; \(report.alreadyHeld) already held" : ""
        let skipped = report.problems.isEmpty ? "" : "; skipped \(report.problems.count) bad line\(report.problems.count == 1 ? "" : "s") (listed above)"
        let group = report.group.map { " (\($0))" } ?? ""
        let senders = "\(matched) of \(report.senders.count) sender\(report.senders.count == 1 ? "" : "s") matched"
        for link in report.linked { Console.note("\(report.dryRun ? "would link" : "linked") \(link.key) to \(link.member.prefix(8))") }
        let added = "\(report.added) new line\(report.added == 1 ? "" : "s") of \(read) read\(span)\(group)\(held); \(senders)\(skipped)"
        if report.dryRun {
            Console.print("would add \(added); dry run: nothing was written")
        } else {
            Console.print("added \(added) — `qun undo` takes the import back")
        }
    }
}

/// A chat import that wrote nothing because of bad lines, listed on stderr already.
struct ChatImportRejected: Error, CustomStringConvertible {
    var report: ChatImportReport

    var description: String {
        let bad = report.problems.count
        return "\(bad) line\(bad == 1 ? " is" : "s are") bad; nothing was imported: fix \(bad == 1 ? "it" : "them") and import again, or add --skip-bad to import the good lines"
    }
}

/// `qun import chat --json`. Keys are stable (README, "JSON output").
enum ChatImportJSON {
    static func object(_ report: ChatImportReport, file: String) -> JSON {
        func time(_ value: ChatTime?) -> JSON { value.map { .string($0.description) } ?? .null }
        return .object([
            ("added", .int(Int64(report.added))),
            ("already_held", .int(Int64(report.alreadyHeld))),
            ("dry_run", .bool(report.dryRun)),
            ("file", .string(file)),
            ("first", time(report.first)),
            ("format", .string(report.format.rawValue)),
            ("group", report.group.map { .string($0) } ?? .null),
            ("joins", .int(Int64(report.joins))),
            ("last", time(report.last)),
            ("leaves", .int(Int64(report.leaves))),
            ("linked", .array(report.linked.map { .object([("key", .string($0.key)), ("member", .string($0.member))]) })),
            ("messages", .int(Int64(report.messages))),
            ("problems", .array(report.problems.map { .object([("line", .int(Int64($0.line))), ("reason", .string($0.reason))]) })),
            ("recalls", .int(Int64(report.recalls))),
            ("rejected", .bool(report.rejected)),
            ("senders", .array(report.senders.map { sender in
                .object([
                    ("key", .string(sender.key)), ("match", sender.match.map { .string($0.rawValue) } ?? .null),
                    ("member", sender.member.map { .string($0) } ?? .null),
                    ("member_name", sender.memberName.map { .string($0) } ?? .null),
                    ("messages", .int(Int64(sender.messages))), ("nickname", .string(sender.nickname)),
                ])
            })),
            ("system", .int(Int64(report.system))),
        ])
    }
}
