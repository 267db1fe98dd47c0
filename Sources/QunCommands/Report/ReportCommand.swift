import ArgumentParser
import QunStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports on the community: pyramid, leaderboard, referrals, churn, events, overdue.",
        subcommands: [])
}
