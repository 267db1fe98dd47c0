import ArgumentParser
import QunStore

/// `start`, `done` and `drop`: one field each, so a teammate's concurrent edit of the title
/// or due date survives.
private func setStatus(_ globals: GlobalOptions, _ reference: String, _ status: TaskItem.Status, json: Bool, verb: String) throws {
    let store = try globals.openStore()
    let today = store.localToday()
    try store.generateTaskInstances(today: today)
    let task = try store.setTaskStatus(reference, status, today: today)
    TaskAnswer.print(task, store: store, json: json, text: "\(verb) \(task.shortID) \(task.title)")
}

struct StartTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Mark a task as being worked on (doing).")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws { try setStatus(globals, task, .doing, json: output.json, verb: "started") }
}

struct DoneTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a task as done (records today as its completed day).",
        discussion: "On an instance of a recurring task this ticks off that day only; the routine goes on.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws { try setStatus(globals, task, .done, json: output.json, verb: "done") }
}

struct DropTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Give a task up (dropped). Dropping a recurring task's template stops it.",
        discussion: "Unlike `rm`, a dropped task stays in `task list status:dropped`: the team sees it was decided against.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws { try setStatus(globals, task, .dropped, json: output.json, verb: "dropped") }
}
