import ArgumentParser
import QunStore

struct WhyMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain a member's activity score, line by line.",
        discussion: """
            The activity score is derived, never stored:

              score = Σ weight × 0.5^(age / 30)

            over every contribution dated on or before the day: event attendance (weight 5, \
            at the event's start day), check-ins (2, at the day checked in) and interactions \
            from the log (1, at the day recorded). Age is in whole days to the day asked \
            about, so a contribution counts half after 30 days and a quarter after 60. Events \
            after that day do not count.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @Option(help: ArgumentHelp("The day to score at (default: today; a date word or YYYY-MM-DD).", valueName: "day"))
    var at: String?
    @OptionGroup var output: JSONOption

    func validate() throws { try ReferenceDay.validate(at, option: "--at") }

    func run() throws {
        let store = try globals.openStore()
        let activity = try store.activity(member, at: try ReferenceDay.resolve(at, store: store, option: "--at"))
        if output.json {
            Console.printJSON(ReportJSON.why(activity))
            return
        }
        let who = activity.member.name + (activity.member.number.map { " (\($0))" } ?? "")
        Console.print("\(who): activity \(ReportFormat.value(activity.score)) on \(activity.reference)")
        guard !activity.contributions.isEmpty else {
            Console.print("nothing counts yet: no attendance, check-in, interaction or chat message on or before \(activity.reference)")
            Console.print(activity.formula.summary)
            return
        }
        var table = TextTable(columns: [
            .init(title: "KIND"), .init(title: "DAY"), .init(title: "WEIGHT", alignRight: true),
            .init(title: "AGE", alignRight: true), .init(title: "VALUE", alignRight: true),
            .init(title: "DETAIL", maxWidth: 40),
        ])
        for line in activity.contributions {
            table.addRow([
                line.kind.rawValue, line.day.description, ReportFormat.weight(line.weight), String(line.ageDays),
                ReportFormat.value(line.value), line.kind == .message ? Self.messages(line) : line.detail ?? "",
            ])
        }
        table.addRow(["total", "", "", "", ReportFormat.value(activity.score), ""])
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print(activity.formula.summary)
    }

    /// `37 messages (10 count)`: a day's messages are one line.
    static func messages(_ line: ActivityContribution) -> String {
        let counted = line.counted < line.count ? " (\(line.counted) count)" : ""
        return "\(line.count) message\(line.count == 1 ? "" : "s")\(counted)"
    }
}
