import ArgumentParser
import QunStore

struct WelcomeMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "welcome",
        abstract: "Prepare the welcome for members (the join ritual): render the template for each and record it.",
        discussion: """
            Prints one message per member, ready to paste, and records that each was welcomed, \
            so `qun report welcome` no longer lists them. Welcomes from every laptop are all \
            kept. See `qun help templates` for the placeholders.

            Example: qun member welcome 张三 李四 --template 欢迎语 --set group=周末读书会
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("Members (id prefix, member number or exact name).", valueName: "member")) var members: [String]
    @Option(help: ArgumentHelp("The template (id prefix or exact name).", valueName: "template")) var template: String
    @OptionGroup var values: TemplateValues
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard !members.isEmpty else { throw ValidationError("name at least one member to welcome") }
    }

    func run() throws {
        let store = try globals.openStore()
        let given = try values.values()
        // Every message is rendered before any is recorded: one that cannot be filled stops
        // them all, and nothing is written.
        _ = try store.render(template, for: members, values: given)
        let welcomed = try members.map { try store.welcome($0, template: template, values: given) }
        if output.json {
            Console.printJSON(RenderedMessages.json(welcomed))
        } else {
            RenderedMessages.print(welcomed)
        }
    }
}
