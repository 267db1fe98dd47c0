import ArgumentParser
import QunStore

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Operations tasks (运营任务): add, edit, start, done, list, next.",
        discussion: """
            A task is named by its id (or a unique prefix of at least 4 characters) or its \
            exact title; the title of a recurring task names today's instance \
            (`qun task done 早安推送`). Dates take words (today, fri, eow, +3d, …: see `qun help dates`); \
            lists take filters (assignee:lin due.before:fri +content: see `qun help filters`). \
            `qun task` alone shows `qun task next`.
            """,
        subcommands: [
            AddTask.self, EditTask.self, StartTask.self, DoneTask.self, DropTask.self,
            RemoveRecord<TaskItem>.self, RestoreRecord<TaskItem>.self, ListTasks.self, NextTasks.self, ShowRecord<TaskItem>.self,
            AnnotateTask.self,
        ],
        defaultSubcommand: NextTasks.self)
}

/// The task fields `add` and `edit` share. Dates are words, resolved against today.
struct TaskFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who does it (an operator name).", valueName: "name")) var assignee: String?
    // Unconditional: `--due -2d` is a date, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("When it is due: a date word (today, fri, eow, +3d, 2026-12-01, 2026-12-01T20:00, …).", valueName: "date")) var due: String?
    @Option(help: "H, M or L.") var priority: String?
    @Option(help: ArgumentHelp("The event this task belongs to (event id or prefix).", valueName: "event")) var event: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Days from the event's start (run-sheet), e.g. -3.", valueName: "days")) var offset: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("The last day of a recurring task's instances (a date word).", valueName: "date")) var until: String?

    /// Checks what can be checked without a store.
    func validate() throws {
        if let assignee, !assignee.isEmpty { _ = try TaskValidation.assignee(assignee) }
        if let priority, !priority.isEmpty { _ = try TaskValidation.priority(priority) }
        if let offset, !offset.isEmpty { _ = try TaskValidation.offset(offset) }
        let today = CalendarDay.at(milliseconds: Session.clock())
        if let due, !due.isEmpty { _ = try DateWords.resolve(due, today: today, field: "due") }
        if let until, !until.isEmpty { _ = try DateWords.resolve(until, today: today, field: "until") }
    }
}

/// The `--json` or text answer of the verbs that change one task.
enum TaskAnswer {
    static func print(_ task: TaskItem, store: Store, json: Bool, text: String) {
        if json {
            Console.printJSON(TaskJSON.object(task, today: store.localToday()))
        } else {
            Console.print(text)
        }
    }
}
