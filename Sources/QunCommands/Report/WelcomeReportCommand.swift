import ArgumentParser
import QunStore

struct WelcomeReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "welcome",
        abstract: "Members who joined and have not been welcomed, earliest joined first.",
        discussion: """
            A member is welcomed once any teammate has prepared a welcome for them \
            (`qun member add … --welcome TEMPLATE`, `qun member welcome`, `qun import members \
            --welcome`). Deleted members and members who left are not listed.

            Example: qun report welcome, then qun member welcome 张三 李四 --template 欢迎语
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let waiting = try globals.openStore().unwelcomedMembers()
        if output.json {
            Console.printJSON(.object([("members", .array(waiting.map(MemberJSON.object)))]))
            return
        }
        var table = TextTable(columns: [
            .init(title: "NUMBER"), .init(title: "NAME", maxWidth: 24), .init(title: "JOINED"), .init(title: "CITY", maxWidth: 12),
        ])
        for member in waiting {
            table.addRow([member.number ?? "", member.name, member.joined ?? "", member.city ?? ""])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(waiting.count) member\(waiting.count == 1 ? "" : "s") not welcomed yet")
    }
}
