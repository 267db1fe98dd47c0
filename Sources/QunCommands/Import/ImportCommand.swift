import ArgumentParser
import QunStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records from a file: members from CSV, a group chat export as activity.",
        subcommands: [ImportMembers.self, ImportChat.self])
}
