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
    @Option(name: .customLong("set"), help: ArgumentHelp("A placeholder's value, e.g. group=周末读书会 (repeatable).", valueName: "key=value"))
    var values: [String] = []
    @Flag(help: "Also put the text on the clipboard (wl-copy, xclip, xsel or pbcopy, whichever is installed).")
    var copy = false
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try given()
    }

    /// `--set` values by key.
    func given() throws -> [String: String] {
        var given: [String: String] = [:]
        for pair in values {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--set takes key=value (e.g. --set group=周末读书会), not '\(pair)'")
            }
            given[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return given
    }

    func run() throws {
        let store = try globals.openStore()
        let renderings = try store.render(template, for: members, values: try given())
        if output.json {
            Console.printJSON(.array(renderings.map { rendering in
                .object([
                    ("member", rendering.member.map { .string($0.id) } ?? .null),
                    ("member_name", rendering.member.map { .string($0.name) } ?? .null),
                    ("text", .string(rendering.text)),
                ])
            }))
        } else if renderings.count == 1 {
            Console.print(renderings[0].text)
        } else {
            for (index, rendering) in renderings.enumerated() {
                if index > 0 { Console.print("") }
                if let member = rendering.member { Console.print("# \(member.name) (\(member.shortID))") }
                Console.print(rendering.text)
            }
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
