import ArgumentParser
import QunStore

struct AddRunSheetTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Add a task to an event's run-sheet, back-scheduled from its start.",
        discussion: """
            --due is relative to the event's start day: -7d (a week before), +1d (the day \
            after), -2w, with an optional time (-1dT18:00); a date works too. When the event \
            moves, unfinished run-sheet tasks move with it.

            Example: qun event task 读书会线下见面 "订场地" --owner 林 --due -14d --priority H
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Argument(help: "What is to be done.") var title: String
    @Option(help: ArgumentHelp("The operator who does it.", valueName: "name")) var owner: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("When, relative to the start day: -7d, +1d, -1dT18:00, or a date.", valueName: "offset")) var due: String
    @Option(help: "H, M or L.") var priority: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try TaskValidation.title(title)
        if let owner { _ = try TaskValidation.assignee(owner) }
        if let priority { _ = try TaskValidation.priority(priority) }
        for tag in tags { _ = try TaskValidation.tag(tag) }
        let today = CalendarDay.at(milliseconds: Store.systemClock())
        _ = try EventValidation.runSheetDue(due, start: today, today: today)
    }

    func run() throws {
        var draft = RunSheetDraft(title: title, due: due)
        draft.owner = owner
        draft.priority = priority
        draft.tags = tags
        let task = try globals.openStore().addRunSheetTask(event, draft)
        if output.json {
            Console.printJSON(EventJSON.runSheetTask(task))
        } else {
            Console.print(task.id)
        }
    }
}
