import ArgumentParser
import QunCore
import QunStore

struct GrantRewards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Record a reward for each of the month's leaderboard winners.",
        discussion: """
            The winners are those `qun report leaderboard --month M --top N` lists, with the same \
            scores. Members tied with the last place are all included (so --top 3 may reward \
            four, both shown third): the member number should not decide who gets a gift. A winner who has the \
            month's leaderboard reward already keeps it as it is (gift, points, sent mark), and a \
            deleted one stays deleted, so granting again changes nothing. Each laptop grants from \
            the leaderboard it sees: sync first, so that everyone's check-ins count.

            Example: qun reward grant --month 2026-11 --top 3 --gift '书一本' --points 50
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: ArgumentHelp("The month (default: this month).", valueName: "YYYY-MM")) var month: String?
    @Option(help: "How many places of the leaderboard to reward.") var top: Int
    @Option(help: ArgumentHelp("The gift, e.g. '书一本'.", valueName: "text")) var gift: String
    @Option(help: ArgumentHelp("Points that go with the gift.", valueName: "n")) var points: Int?
    @Flag(help: "Show who would be rewarded; write nothing.") var dryRun = false
    @OptionGroup var day: ReportTodayOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        try RewardMonth.validate(month)
        guard top > 0 else { throw ValidationError("--top must be a positive number, e.g. --top 3") }
        if let points, points < 0 { throw ValidationError("--points must be 0 or more") }
    }

    func run() throws {
        let store = try globals.openStore()
        let today = try day.resolve(store)
        let month = try RewardMonth.parse(self.month) ?? ReportMonth(today)
        let grant = try store.grantRewards(month: month, top: top, gift: gift, points: points, dryRun: dryRun, today: today)
        let names = try RewardNames(store, grant.lines.map(\.reward))
        if output.json {
            Console.printJSON(.object([
                ("changed", .bool(!grant.dryRun && !grant.changesNothing)),
                ("dry_run", .bool(grant.dryRun)),
                ("month", .string(grant.month.description)),
                ("rewards", .array(grant.lines.map { line in
                    RewardJSON.object(line.reward, names: names, extra: [("outcome", .string(Self.outcome(line.outcome)))])
                })),
                ("scored", .int(Int64(grant.scored))),
                ("top", .int(Int64(grant.top))),
            ]))
            return
        }
        guard !grant.lines.isEmpty else {
            Console.print("\(month): no member scored on the leaderboard; nothing granted")
            return
        }
        var table = TextTable(columns: [
            .init(title: "RANK", alignRight: true), .init(title: "NO."), .init(title: "NAME", maxWidth: 24),
            .init(title: "SCORE", alignRight: true), .init(title: "GIFT", maxWidth: 24), .init(title: "REWARD"), .init(title: "RESULT"),
        ])
        for line in grant.lines {
            let what: String
            switch line.outcome {
            case .granted: what = grant.dryRun ? "would grant" : "granted"
            case .alreadyGranted: what = "granted before" + (line.reward.isSent ? ", sent" : "")
            case .removed: what = "deleted (left deleted)"
            }
            table.addRow([
                String(line.entry.rank), line.entry.member.number ?? "", line.entry.member.name,
                ReportFormat.score(line.entry.score), line.reward.gift, line.reward.shortID, what,
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        let new = grant.lines.filter { $0.outcome == .granted }.count
        let last = grant.lines[min(grant.top, grant.lines.count) - 1].entry.score
        let tiedCount = grant.lines.filter { abs($0.entry.score - last) < 1e-9 }.count
        let tied = grant.lines.count > grant.top ? " (\(tiedCount) tied for place \(grant.top), all included)" : ""
        if grant.dryRun {
            Console.print("\(month): \(new) reward\(new == 1 ? "" : "s") would be granted\(tied); dry run, nothing written")
        } else if grant.changesNothing {
            Console.print("\(month): every winner has this month's reward already; nothing changed\(tied)")
        } else {
            Console.print("\(month): \(new) reward\(new == 1 ? "" : "s") granted\(tied)")
        }
    }

    static func outcome(_ outcome: RewardGrant.Outcome) -> String {
        switch outcome {
        case .granted: return "granted"
        case .alreadyGranted: return "already_granted"
        case .removed: return "removed"
        }
    }
}
