import ArgumentParser
import QunStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports on the community: pyramid, leaderboard, referrals, churn, events, overdue.",
        discussion: """
            Every report is computed from the merged records each time it is run: two laptops \
            that hold the same changes print the same report. Every report takes --json (keys \
            documented in the README).

              pyramid      members by role against the 5/20/75 guide
              leaderboard  the month's most active members (activity score)
              referrals    who brought whom, chain depth, chains deeper than two levels
              churn        joined, quiet and left members per month
              events       target vs sign-ups vs attendance per event
              overdue      undone tasks past their due day, by assignee
            """,
        subcommands: [
            PyramidReportCommand.self, LeaderboardReportCommand.self, ReferralsReportCommand.self,
            ChurnReportCommand.self, EventsReportCommand.self, OverdueReportCommand.self, WelcomeReportCommand.self,
        ])
}
