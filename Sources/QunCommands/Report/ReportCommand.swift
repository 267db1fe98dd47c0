import ArgumentParser
import QunStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports on the community: pyramid, leaderboard, referrals, churn, events, overdue, hours, quiet, growth.",
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
              hours        messages by hour and weekday: when the group is awake
              quiet        members with no message, check-in or attendance in N days
              growth       joined, left, active and messages per week
              all          every report in one HTML page with charts (--html FILE)

            Reports that draw a chart take --html FILE: one self-contained page (no network, \
            no script) to send as a file.
            """,
        subcommands: [
            PyramidReportCommand.self, LeaderboardReportCommand.self, ReferralsReportCommand.self,
            ChurnReportCommand.self, EventsReportCommand.self, OverdueReportCommand.self, WelcomeReportCommand.self,
            HoursReportCommand.self, QuietReportCommand.self, GrowthReportCommand.self, AllReportCommand.self,
        ])
}
