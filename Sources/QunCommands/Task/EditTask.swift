import ArgumentParser
import QunStore

struct EditTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change only the fields given.",
        discussion: """
            An empty value clears a field (--due ''). Tags are added with --tag and removed \
            with --untag; a teammate's concurrent add of the same tag survives an --untag. \
            Editing an instance of a recurring task changes that day only; editing the \
            template changes every instance that has no value of its own.

            Example: qun task edit 3f2a --due +2d --assignee 王芳 --tag 紧急
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @Option(help: "New title.") var title: String?
    @OptionGroup var fields: TaskFieldOptions
    @Option(help: "Change a template's repetition: daily, weekly or monthly.") var recur: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("Add a tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @Option(name: .customLong("untag"), help: ArgumentHelp("Remove a tag; repeat for several.", valueName: "tag")) var untags: [String] = []
    @OptionGroup var output: JSONOption

    func validate() throws {
        let given: [String?] = [title, fields.assignee, fields.due, fields.priority, fields.event, fields.offset, fields.until, recur]
        if given.allSatisfy({ $0 == nil }) && tags.isEmpty && untags.isEmpty {
            throw ValidationError("nothing to change: give at least one of --title, --assignee, --due, --priority, --tag, --untag, …")
        }
        if let title { _ = try TaskValidation.title(title) }
        try fields.validate()
        if let recur, !recur.isEmpty { _ = try TaskValidation.recurrence(recur) }
        for tag in tags { _ = try TaskValidation.tag(tag) }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        var edit = TaskEdit()
        func date(_ word: String?, _ field: TaskItem.Field) throws {
            guard let word else { return }
            edit.fields[field] = word.isEmpty ? "" : try DateWords.resolve(word, today: today, field: field.rawValue).description
        }
        if let title { edit.fields[.title] = title }
        if let assignee = fields.assignee { edit.fields[.assignee] = assignee }
        try date(fields.due, .due)
        if let until = fields.until {
            edit.fields[.until] = until.isEmpty ? "" : try DateWords.day(until, today: today, field: "until").description
        }
        if let priority = fields.priority { edit.fields[.priority] = priority }
        if let event = fields.event { edit.fields[.event] = event }
        if let offset = fields.offset { edit.fields[.offset] = offset }
        if let recur { edit.fields[.recur] = recur }
        edit.addTags = tags
        edit.removeTags = untags
        let task = try store.editTask(task, edit)
        try store.generateTaskInstances(today: today)
        TaskAnswer.print(try store.task(task.id), store: store, json: output.json, text: "updated \(task.shortID) \(task.title)")
    }
}
