import ArgumentParser
import QunStore

struct EditEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change only the fields given.",
        discussion: """
            An empty value clears a field (--place ''). Moving the start (--start) moves the \
            due date of every unfinished run-sheet task by the same days. The phase changes \
            with `qun event phase`.

            Example: qun event edit 读书会线下见面 --start 2026-12-19T14:00 --end 2026-12-19T17:00
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Option(help: "New title.") var title: String?
    @OptionGroup var fields: EventFieldOptions
    @OptionGroup var output: JSONOption

    func validate() throws {
        if title == nil && fields.given.isEmpty {
            throw ValidationError("nothing to change: give at least one of --title, --start, --end, --place, --city, --target, …")
        }
        if let title { _ = try EventValidation.title(title) }
    }

    func run() throws {
        var edit = EventEdit()
        if let title { edit.fields[.title] = title }
        for (field, value) in fields.given { edit.fields[field] = value }
        let event = try globals.openStore().editEvent(self.event, edit)
        if output.json {
            Console.printJSON(EventJSON.object(event))
        } else {
            Console.print("updated \(event.label)")
        }
    }
}
