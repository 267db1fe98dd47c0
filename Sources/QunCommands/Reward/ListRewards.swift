import ArgumentParser
import QunCore
import QunStore

struct ListRewards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List rewards: newest month first, the leaderboard's in rank order.",
        discussion: """
            Filters: member:MEMBER (id prefix, number or name), kind:leaderboard|manual, \
            sent:yes|no (or +sent / -sent); other words must appear in the gift or the note.

            Example: qun reward list --month 2026-11 -sent
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: ArgumentHelp("Only this month's rewards.", valueName: "YYYY-MM")) var month: String?
    @Flag(name: .long, help: "Include deleted rewards.") var deleted = false
    @OptionGroup var output: JSONOption
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filters: member:M kind:K sent:yes|no +sent -sent WORD.", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        try RewardMonth.validate(month)
        _ = try RewardFilterParser.parse(filters, member: { $0 })
    }

    func run() throws {
        let store = try globals.openStore()
        var filter = try RewardFilterParser.parse(filters) { try store.member($0, includeDeleted: true).id }
        filter.month = try RewardMonth.parse(month)
        filter.includeDeleted = deleted
        let rewards = try store.rewards(filter)
        let names = try RewardNames(store, rewards)
        if output.json {
            Console.printJSON(.array(rewards.map { RewardJSON.object($0, names: names) }))
            return
        }
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "MONTH"), .init(title: "KIND"), .init(title: "NAME", maxWidth: 20),
            .init(title: "GIFT", maxWidth: 24), .init(title: "POINTS", alignRight: true), .init(title: "SENT", maxWidth: 24),
        ])
        for reward in rewards {
            let kind = reward.origin.map { $0 == .leaderboard ? "#\(reward.rank.map(String.init) ?? "?")" : $0.rawValue } ?? ""
            table.addRow([
                reward.shortID, reward.month, kind, (names.memberName(reward) ?? "?") + (reward.deleted ? " (deleted)" : ""),
                reward.gift, reward.points.map(String.init) ?? "",
                reward.sent.map { "\($0.day) \(names.operatorName($0))" } ?? "-",
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        let toGive = rewards.filter { !$0.isSent && !$0.deleted }.count
        Console.print("\(rewards.count) reward\(rewards.count == 1 ? "" : "s"), \(toGive) still to give")
    }
}

/// Parses the filter words of `reward list`.
enum RewardFilterParser {
    static let keys = ["member", "kind", "sent"]

    /// `member` turns a member reference into the member's id.
    static func parse(_ words: [String], member: (String) throws -> String) throws -> RewardFilter {
        var filter = RewardFilter()
        for word in words {
            switch try FilterWord.classify(word, list: "reward list", keys: keys, tags: true, help: "See `qun reward list --help`") {
            case .withTag(let tag), .withoutTag(let tag):
                guard tag.lowercased() == "sent" else {
                    throw ValidationError("rewards have no tags: write +sent or -sent, or sent:yes|no (not '\(word)')")
                }
                filter.sent = word.hasPrefix("+")
            case .word(let text): filter.words.append(text)
            case .field(let key, let value):
                switch key {
                case "member": filter.member = try member(value)
                case "kind":
                    guard let origin = Reward.Origin(rawValue: value.lowercased()) else {
                        throw ValidationError("kind:\(value) is not a kind of reward: write kind:leaderboard or kind:manual")
                    }
                    filter.origin = origin
                case "sent":
                    switch value.lowercased() {
                    case "yes", "y", "true": filter.sent = true
                    case "no", "n", "false": filter.sent = false
                    default: throw ValidationError("sent:\(value) — write sent:yes or sent:no")
                    }
                default:
                    throw FilterWord.unknownKey(key, keys: keys, tail: "+sent -sent WORD")
                }
            }
        }
        return filter
    }
}
