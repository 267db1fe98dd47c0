import ArgumentParser
import QunStore

struct AnnotateTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Add an annotation to a task.",
        discussion: """
            Annotations are append-only and never conflict: two operators annotating at the \
            same time both keep theirs. Example: qun task log 3f2a "海报初稿已发群里"
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @Argument(help: "The annotation; several words are joined.") var text: [String]
    @OptionGroup var output: JSONOption

    func validate() throws {
        if text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("give the text to log, e.g. qun task log \(task) \"draft sent to the group\"")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let task = try store.annotateTask(task, text.joined(separator: " "))
        TaskAnswer.print(task, store: store, json: output.json,
                         text: "logged for \(task.shortID) \(task.title) (\(task.notesCount) annotation\(task.notesCount == 1 ? "" : "s"))")
    }
}
