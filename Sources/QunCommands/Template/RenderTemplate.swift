import ArgumentParser
import QunCore
import QunStore

struct RenderTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Fill a template in for members and print the messages, ready to paste.",
        discussion: """
            Each member's fields fill the placeholders ({name}, {number}, {kol}, {city}, …; \
            `qun help templates` lists them); --set gives other values, or overrides one. A \
            placeholder without a value is an error that names it: a message with a hole in it \
            is worse than none. With no member, the template must use no member field.

            Example: qun template render 欢迎语 张三 李四 --set group=周末读书会 --copy
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(MessageTemplate.referenceHelp, valueName: "template")) var template: String
    @Argument(help: ArgumentHelp("Members to render it for (id prefix, member number or exact name).", valueName: "member"))
    var members: [String] = []
    @OptionGroup var values: TemplateValues
    @Flag(help: "Also put the text on the clipboard (wl-copy, xclip, xsel or pbcopy, whichever is installed).")
    var copy = false
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let renderings = try store.render(template, for: members, values: try values.values())
        if output.json {
            Console.printJSON(RenderedMessages.json(renderings))
        } else {
            RenderedMessages.print(renderings)
        }
        if copy {
            let text = renderings.map(\.text).joined(separator: "\n\n")
            if let tool = try Clipboard.copy(text) {
                Console.note("copied to the clipboard (\(tool))")
            } else {
                Console.note("no clipboard tool found (\(Clipboard.tools.map(\.name).joined(separator: ", "))): copy the text above by hand")
            }
        }
    }
}
