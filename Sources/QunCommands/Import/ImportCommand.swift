import ArgumentParser
import QunStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records from a file (members from CSV).",
        subcommands: [ImportMembers.self])
}
