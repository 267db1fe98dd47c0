import ArgumentParser
import QunStore

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Operations tasks (运营任务): add, edit, start, done, list.",
        subcommands: [])
}
