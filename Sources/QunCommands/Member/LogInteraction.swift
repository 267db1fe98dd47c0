import ArgumentParser
import QunStore

struct LogInteraction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Add an entry to a member's interaction log (沟通记录).",
        discussion: """
            Entries are append-only and never conflict: two operators logging at the same \
            time both keep their entry. Example: qun member log 张三 "私聊确认线下活动报名"
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @Argument(help: "What was said or done; several words are joined.") var text: [String]
    @OptionGroup var output: JSONOption

    func validate() throws {
        if text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("give the text to log, e.g. qun member log \(member) \"called about renewal\"")
        }
    }

    func run() throws {
        let logged = try globals.openStore().logInteraction(member, text.joined(separator: " "))
        if output.json {
            Console.printJSON(MemberJSON.object(logged))
        } else {
            Console.print("logged for \(logged.shortID) \(logged.name) (\(logged.logCount) entries)")
        }
    }
}
