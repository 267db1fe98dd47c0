import ArgumentParser
import Foundation
import QunStore

struct ImportMembers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "Import members from a CSV file: every row, or none.",
        discussion: """
            The first row names the columns, in English or Chinese: name/姓名/昵称, role/角色/身份, \
            city/城市, tags/标签, wechat/微信/微信号, qq/QQ号, phone/手机/电话/手机号, email/邮箱, \
            joined/加入日期/入群时间, referrer/推荐人/邀请人, kol/负责KOL, gate/门槛, \
            gate_note/门槛备注, status/状态, notes/备注 (case, spaces and _ do not matter). Any \
            other column is refused until mapped: --map '群昵称=name' reads it as a field, \
            --map '群昵称=-' ignores it. The id, number and log_count columns of `qun export \
            members` are recognised; imported members get new ids and numbers, and the ' it puts \
            before a leading = + - or @ is dropped.

            Values may be written as operators do: 意见领袖/核心/成员/管理 for roles, \
            活跃/潜水/退群 for status, 身份/兴趣/付费/地区/组合 for gates, dates as 2026-03-05, \
            2026/3/5 or 2026年3月5日, several tags in one cell separated by , ， ; 、 | or spaces. \
            kol and referrer name a member in the store (id, number or exact name) or another \
            row of the file (its name, or its id or number cell).

            Every row is checked first; problems are listed as `line N: reason` (the header is \
            line 1; blank lines, and lines of nothing but commas, are skipped). If any row is bad nothing is imported, unless --skip-bad imports the good \
            rows. --dry-run checks and lists what would be imported, writing nothing. The \
            import is one command: `qun undo` takes all of it back.

            Files from Excel, WPS or Numbers work as saved ("CSV UTF-8": byte order mark, CRLF, \
            quoted fields with commas and line breaks).

            With --welcome TEMPLATE each imported member's welcome is prepared and printed after             the summary (the join ritual); a member the template cannot be filled for (no city,             say) is listed instead and stays in `qun report welcome`.

            Example: qun import members 成员名单.csv --map 群昵称=name --map 序号=- --dry-run
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("The CSV file (UTF-8).", valueName: "file")) var file: String
    @Option(name: .customLong("map"), help: ArgumentHelp("COLUMN=FIELD reads a column as a member field; COLUMN=- ignores it. Repeat for several.", valueName: "column=field"))
    var mappings: [String] = []
    @Flag(name: .long, help: "Check every row and show what would be imported; write nothing.") var dryRun = false
    @Flag(name: .long, help: "Import the good rows even if some are bad (the bad ones are still listed).") var skipBad = false
    @Option(help: ArgumentHelp("Prepare each new member's welcome from this template (id prefix or exact name).", valueName: "template"))
    var welcome: String?
    @OptionGroup var values: TemplateValues
    @OptionGroup var output: JSONOption

    func validate() throws {
        do {
            _ = try MemberColumns.mapping(mappings)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        var options = MemberImportOptions()
        options.mapping = try MemberColumns.mapping(mappings)
        options.dryRun = dryRun
        options.skipBad = skipBad
        let progress = ImportProgress()
        let report: MemberImportReport
        var welcomed: [TemplateRendering] = [], unwelcomed: [(Int, String)] = []
        do {
            progress.reading(file)
            let table = try CSVTable(contentsOf: URL(fileURLWithPath: file))
            let store = try globals.openStore()
            // A template that does not exist or names an unknown placeholder stops the import
            // before anything is written.
            if let welcome { try store.checkWelcome(welcome, for: nil, values: try values.values()) }
            report = try store.importMembers(table, options: options) { progress.update($0) }
            progress.clear()
            if let welcome, !report.rejected, !report.dryRun {
                (welcomed, unwelcomed) = try prepareWelcomes(report, template: welcome, store: store)
            }
        } catch {
            progress.clear()
            throw error
        }
        ImportProblemList.write(report.problems)
        if !report.rejected, !report.sameName.isEmpty {
            let count = report.sameName.count
            let lines = report.sameName.prefix(10).map(String.init).joined(separator: ", ") + (count > 10 ? ", …" : "")
            let verb = report.dryRun ? "would be added" : "were added"
            Console.note("\(count) row\(count == 1 ? " has" : "s have") the name of a member already in the store (line\(count == 1 ? "" : "s") \(lines)): they \(verb) as new members. If this file was imported before, `qun undo` takes this import back")
        }
        for (line, reason) in unwelcomed { Console.note("line \(line): not welcomed: \(reason)") }
        if output.json {
            var json = ImportReportJSON.object(report, file: file)
            if welcome != nil, case .object(let fields) = json {
                // "welcomes" sorts after every key of the import report.
                json = .object(fields + [("welcomes", RenderedMessages.json(welcomed))])
            }
            Console.printJSON(json)
        } else if !report.rejected {
            printSummary(report)
            if !welcomed.isEmpty {
                Console.print("")
                RenderedMessages.print(welcomed)
            }
        }
        if report.rejected { throw ImportRejected(report: report) }
    }

    /// Renders and records the welcome of each imported member; those it cannot be filled in
    /// for are returned with the reason, by line.
    private func prepareWelcomes(_ report: MemberImportReport, template: String, store: Store) throws
        -> (welcomed: [TemplateRendering], unwelcomed: [(Int, String)]) {
        var welcomed: [TemplateRendering] = [], unwelcomed: [(Int, String)] = []
        let given = try values.values()
        for member in report.members {
            guard let id = member.id else { continue }
            do {
                welcomed.append(try store.welcome(id, template: template, values: given))
            } catch let error as TemplateError {
                unwelcomed.append((member.line, ErrorWording.message(for: error) ?? error.description))
            }
        }
        return (welcomed, unwelcomed)
    }

    private func printSummary(_ report: MemberImportReport) {
        let count = report.members.count
        let members = "\(count) member\(count == 1 ? "" : "s")"
        let skipped = report.problems.isEmpty ? "" : "; skipped \(report.problems.count) bad row\(report.problems.count == 1 ? "" : "s") (listed above)"
        guard report.dryRun else {
            Console.print("imported \(members) from \(file)\(skipped) — `qun undo` takes the import back")
            return
        }
        var table = TextTable(columns: [
            .init(title: "LINE", alignRight: true), .init(title: "NAME", maxWidth: 24), .init(title: "ROLE"),
            .init(title: "CITY", maxWidth: 12), .init(title: "STATUS"), .init(title: "TAGS", maxWidth: 40),
        ])
        for member in report.members {
            table.addRow([
                String(member.line), member.name, member.draft.role.rawValue, member.draft.city ?? "",
                member.draft.status.rawValue, member.draft.tags.joined(separator: " "),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("would import \(members) from \(file)\(skipped); dry run: nothing was written")
    }
}
