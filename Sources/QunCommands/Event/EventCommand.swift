import ArgumentParser
import QunStore

struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Event plans (活动策划): phases, run-sheet, sign-ups, attendance, retrospective.",
        subcommands: [])
}
