import ArgumentParser
import QunStore

struct RemoveTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete a task (a tombstone: history stays, `task restore` brings it back).",
        discussion: "A delete wins over edits teammates make concurrently. A deleted instance of a recurring task is never made again; deleting a template stops new instances (those already made stay).")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let removed = try store.removeTask(task)
        TaskAnswer.print(removed, store: store, json: output.json,
                         text: "deleted \(removed.shortID) \(removed.title) (undo with `qun task restore \(removed.shortID)`)")
    }
}

struct RestoreTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring back a deleted task with all its fields.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Task id prefix or exact title.") var task: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let restored = try store.restoreTask(task)
        TaskAnswer.print(restored, store: store, json: output.json, text: "restored \(restored.shortID) \(restored.title)")
    }
}
