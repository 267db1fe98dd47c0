import ArgumentParser
import QunStore

struct AddTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a task and print its id.",
        discussion: """
            With --recur the task is a template for routine work: an instance is made for \
            every day it falls on, from --due (default today) up to today and the next one \
            ahead, until --until or until the template is dropped. Instances made on two \
            laptops offline are the same records, so syncing never duplicates them.

            Examples:
              qun task add "发活动预告" --assignee 林晓 --due fri --priority H --tag 内容
              qun task add 早安推送 --recur daily --due tomorrowT08:00 --until eom
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "What to do; any Unicode.") var title: String
    @OptionGroup var fields: TaskFieldOptions
    @Option(help: "Repeat: daily, weekly or monthly.") var recur: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @Option(help: ArgumentHelp("A first annotation.", valueName: "text")) var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try TaskValidation.title(title)
        try fields.validate()
        if let recur { _ = try TaskValidation.recurrence(recur) }
        if fields.until != nil && recur == nil {
            throw ValidationError("--until needs --recur: only a recurring task has an end")
        }
        if fields.offset != nil && fields.event == nil {
            throw ValidationError("--offset counts days from an event's start: give the event too (--event ID)")
        }
        for tag in tags { _ = try TaskValidation.tag(tag) }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        var draft = TaskDraft(title: title)
        draft.assignee = fields.assignee
        draft.due = try fields.due.map { try DateWords.resolve($0, today: today, field: "due").description }
        draft.priority = try fields.priority.map(TaskValidation.priority)
        draft.event = fields.event
        draft.offset = try fields.offset.map(TaskValidation.offset)
        draft.recur = try recur.map(TaskValidation.recurrence)
        draft.until = try fields.until.map { try DateWords.day($0, today: today, field: "until").description }
        draft.tags = tags
        draft.note = note
        let task = try store.addTask(draft, today: today)
        try store.generateTaskInstances(today: today)
        if output.json {
            Console.printJSON(TaskJSON.object(try store.task(task.id, includeDeleted: true), today: today))
        } else {
            Console.print(task.id)
        }
    }
}
