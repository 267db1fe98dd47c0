import ArgumentParser
import QunCore
import QunStore

struct ShowTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one task with its annotations.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        let shown = try store.task(task, includeDeleted: true)
        let notes = try store.taskNotes(shown.id)
        if output.json {
            Console.printJSON(TaskJSON.detailed(shown, notes: notes, today: today))
            return
        }
        let rows: [(String, String?)] = [
            ("id", shown.id), ("title", shown.title), ("status", shown.status.rawValue),
            ("assignee", shown.assignee), ("due", TaskListing.dueText(shown, today: today)),
            ("priority", shown.priority?.rawValue), ("tags", shown.tags.joined(separator: " ")),
            ("event", shown.event.map { String($0.prefix(8)) + (shown.offset.map { " (\($0 >= 0 ? "+" : "")\($0)d)" } ?? "") }),
            ("recur", shown.recur.map { $0.rawValue + (shown.until.map { " until \($0)" } ?? "") }),
            ("template", shown.template.map { String($0.prefix(8)) + (shown.date.map { " (\($0))" } ?? "") }),
            ("completed", shown.completed),
            ("urgency", shown.isOpen && !shown.isTemplate ? String(format: "%.1f", TaskUrgency.score(shown, today: today)) : nil),
            ("deleted", shown.deleted ? "yes (restore with `qun task restore \(shown.shortID)`)" : nil),
        ]
        for (label, value) in rows {
            guard let value, !value.isEmpty else { continue }
            Console.print(pad(label, toWidth: 10) + value)
        }
        if !notes.isEmpty {
            Console.print("")
            Console.print("annotations:")
            for note in notes {
                Console.print(LogEntryFormat.line(at: note.at, operatorName: note.operatorName, text: note.text))
            }
        }
    }
}
