import ArgumentParser
import QunStore

struct AddTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a message template and print its id.",
        discussion: """
            Placeholders are words in braces, filled when the template is rendered: {name}, \
            {number}, {kol}, {city}, {joined}, … (`qun help templates`); write {{ and }} for a \
            brace itself. Adding a name that was deleted brings that template back with the new text.

            Example: qun template add 欢迎语 --text '欢迎 {name} 加入读书会！你是第 {number} 号成员'
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The template's name; any Unicode, one line.") var name: String
    @Option(help: ArgumentHelp("The text, with {placeholders}.", valueName: "text")) var text: String
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try TemplateText(text)
    }

    func run() throws {
        let template = try globals.openStore().addTemplate(name: name, body: text)
        if output.json {
            Console.printJSON(TemplateJSON.object(template))
        } else {
            Console.print(template.id)
        }
    }
}

struct EditTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a template's text or name.",
        discussion: "Two teammates editing the text concurrently: the later edit wins, whole.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(MessageTemplate.referenceHelp, valueName: "template")) var template: String
    @Option(help: ArgumentHelp("The new text, with {placeholders}.", valueName: "text")) var text: String?
    @Option(help: ArgumentHelp("A new name.", valueName: "name")) var name: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard text != nil || name != nil else { throw ValidationError("give --text or --name (or both)") }
        if let text { _ = try TemplateText(text) }
    }

    func run() throws {
        let edited = try globals.openStore().editTemplate(template, name: name, body: text)
        if output.json {
            Console.printJSON(TemplateJSON.object(edited))
        } else {
            Console.print("updated \(edited.label)")
        }
    }
}
