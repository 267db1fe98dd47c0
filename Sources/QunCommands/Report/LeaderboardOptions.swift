import ArgumentParser
import QunStore

/// `--month` and `--top` of the leaderboard, shared by `report leaderboard` and `report all`.
struct LeaderboardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The leaderboard's month (default: this month).", valueName: "YYYY-MM")) var month: String?
    @Option(help: "How many members the leaderboard lists.") var top = 10

    func validate() throws {
        if let month {
            do { _ = try ReportMonth.parse(month, field: "--month") } catch let error as StoreError {
                throw ValidationError(error.description)
            }
        }
        guard top > 0 else { throw ValidationError("--top must be a positive number, e.g. --top 10") }
    }

    /// The month given, or the month of `today`.
    func month(today: CalendarDay) throws -> ReportMonth {
        try month.map { try ReportMonth.parse($0, field: "--month") } ?? ReportMonth(today)
    }
}
