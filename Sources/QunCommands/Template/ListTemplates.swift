import ArgumentParser
import QunStore

struct ListTemplates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List templates by name, with the start of their text.",
        discussion: "Words given must each appear in the name or the text. Example: qun template list 欢迎")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Flag(name: .long, help: "Include deleted templates.") var deleted = false
    @Argument(help: ArgumentHelp("Words to look for.", valueName: "word")) var words: [String] = []

    func run() throws {
        var filter = TemplateFilter()
        filter.words = words
        filter.includeDeleted = deleted
        let templates = try globals.openStore().templates(filter)
        if output.json {
            Console.printJSON(.array(templates.map(TemplateJSON.object)))
            return
        }
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "NAME", maxWidth: 20), .init(title: "USES", maxWidth: 30), .init(title: "TEXT", maxWidth: 40),
        ])
        for template in templates {
            table.addRow([
                template.shortID, template.name + (template.deleted ? " (deleted)" : ""),
                template.placeholders.map { "{\($0)}" }.joined(separator: " "),
                template.body.split(whereSeparator: \.isNewline).joined(separator: " ⏎ "),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(templates.count) template\(templates.count == 1 ? "" : "s")")
    }
}
